package org.apache.spark.shuffle.efa.config;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FabricSecurityPolicyTest {
    private static FabricSecurityPolicy policy(String... settings) {
        SparkConf conf = new SparkConf(false);
        for (int i = 0; i < settings.length; i += 2) {
            conf.set(settings[i], settings[i + 1]);
        }
        return EfaShuffleConf.from(conf).security();
    }

    @Test
    void withoutSparkSecurityEveryProviderIsAllowed() {
        for (String p : new String[] {"tcp", "sockets", "efa", "shm"}) {
            assertEquals(Optional.empty(), policy().refusal(p), p);
        }
    }

    @Test
    void authenticationRefusesPlainTcpButNotEfaOrShm() {
        FabricSecurityPolicy p = policy("spark.authenticate", "true");
        for (String tcp : new String[] {"tcp", "sockets"}) {
            String why = p.refusal(tcp).orElseThrow();
            assertTrue(why.contains("the " + tcp + " provider is plain TCP") && why.contains("spark.authenticate=true")
                    && why.contains("authenticated") && why.contains("spark.shuffle.efa.security.allowUnprotectedFabric=true"), why);
        }
        assertEquals(Optional.empty(), p.refusal("efa"));
        assertEquals(Optional.empty(), p.refusal("shm"));
    }

    @Test
    void encryptionRefusesEfaUnlessSparkEncryptsTheBlocks() {
        FabricSecurityPolicy p = policy("spark.authenticate", "true", "spark.network.crypto.enabled", "true");
        String why = p.refusal("efa").orElseThrow();
        assertTrue(why.contains("unencrypted") && why.contains("spark.io.encryption.enabled=true"), why);
        assertTrue(p.refusal("tcp").orElseThrow().contains("encrypted transfers"));
        assertEquals(Optional.empty(), p.refusal("shm"));
        assertEquals(Optional.empty(), policy("spark.ssl.rpc.enabled", "true", "spark.io.encryption.enabled", "true")
                .refusal("efa"));
        assertTrue(policy("spark.ssl.rpc.enabled", "true").refusal("efa").isPresent(), "RPC SSL promises encryption too");
    }

    @Test
    void theUserMayAcceptTheWeakerPathKnowingly() {
        FabricSecurityPolicy p = policy("spark.authenticate", "true", "spark.network.crypto.enabled", "true",
                "spark.shuffle.efa.security.allowUnprotectedFabric", "true");
        for (String provider : new String[] {"tcp", "sockets", "efa", "shm"}) {
            assertEquals(Optional.empty(), p.refusal(provider), provider);
        }
    }
}

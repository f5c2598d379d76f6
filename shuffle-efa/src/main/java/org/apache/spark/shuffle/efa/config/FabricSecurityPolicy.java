package org.apache.spark.shuffle.efa.config;

import org.apache.spark.SparkConf;

import java.util.Optional;

/**
 * Whether a provider keeps what the application's own Spark security settings promise. Spark's
 * block transfers are authenticated under {@code spark.authenticate} and encrypted under
 * {@code spark.network.crypto.enabled} or RPC SSL; the fabric path is neither, so it is allowed
 * only where the provider's reach gives the same protection:
 * <ul>
 *   <li>shm: same host, regions only their owner may open; always allowed.</li>
 *   <li>efa: only instances in the EFA security group reach the fabric, and descriptors (address
 *       and key) go only to executors of the application over Spark's authenticated RPC; so
 *       authentication holds. Encryption does not, unless Spark encrypts the blocks themselves
 *       ({@code spark.io.encryption.enabled}: map outputs are staged as ciphertext).</li>
 *   <li>tcp, sockets: plain TCP that anyone who can route to the port may speak; refused under
 *       any of Spark's network security settings.</li>
 * </ul>
 * {@code spark.shuffle.efa.security.allowUnprotectedFabric=true} accepts the weaker path knowingly.
 */
public final class FabricSecurityPolicy {
    public static final String AUTHENTICATE = "spark.authenticate";
    public static final String NETWORK_CRYPTO = "spark.network.crypto.enabled";
    public static final String RPC_SSL = "spark.ssl.rpc.enabled";
    public static final String IO_ENCRYPTION = "spark.io.encryption.enabled";

    private final boolean authenticate;
    private final boolean encryptedNetwork;
    private final boolean encryptedBlocks;
    private final boolean optedIn;

    FabricSecurityPolicy(boolean authenticate, boolean encryptedNetwork, boolean encryptedBlocks, boolean optedIn) {
        this.authenticate = authenticate;
        this.encryptedNetwork = encryptedNetwork;
        this.encryptedBlocks = encryptedBlocks;
        this.optedIn = optedIn;
    }

    public static FabricSecurityPolicy from(SparkConf conf, boolean optedIn) {
        return new FabricSecurityPolicy(conf.getBoolean(AUTHENTICATE, false),
                conf.getBoolean(NETWORK_CRYPTO, false) || conf.getBoolean(RPC_SSL, false),
                conf.getBoolean(IO_ENCRYPTION, false), optedIn);
    }

    /** Why {@code provider} (as resolved, e.g. "tcp", "efa") would weaken the settings, if it would. */
    public Optional<String> refusal(String provider) {
        if (optedIn || provider.equals("shm") || !(authenticate || encryptedNetwork)) {
            return Optional.empty();
        }
        String promised = encryptedNetwork ? "encrypted" : "authenticated";
        String settings = (authenticate ? AUTHENTICATE + "=true " : "")
                + (encryptedNetwork ? "(" + NETWORK_CRYPTO + " or " + RPC_SSL + ")=true" : "");
        String optIn = " Set " + EfaSetting.ALLOW_UNPROTECTED_FABRIC.fullKey() + "=true to accept it knowingly.";
        if (provider.equals("efa") || provider.startsWith("efa")) {
            if (!encryptedNetwork || encryptedBlocks) {
                return Optional.empty();
            }
            return Optional.of("the efa provider would carry shuffle blocks unencrypted although " + settings.trim()
                    + " promises encrypted transfers; set " + IO_ENCRYPTION + "=true so blocks are encrypted "
                    + "before they are staged." + optIn);
        }
        return Optional.of("the " + provider + " provider is plain TCP that any host reaching the port can speak, "
                + "although " + settings.trim() + " promises " + promised + " transfers." + optIn);
    }
}

package org.apache.spark.shuffle.efa.registry;

import java.io.Serializable;

/**
 * What travels through Spark's RpcEnv: the compact binary form of one {@link RegistryMessage}, so
 * Java serialization only ever sees a byte array.
 */
public record RegistryFrame(byte[] bytes) implements Serializable {
    public static RegistryFrame of(RegistryMessage m) {
        return new RegistryFrame(RegistryCodec.encode(m));
    }

    public RegistryMessage message() {
        return RegistryCodec.decode(bytes);
    }
}

package org.apache.spark.shuffle.efa.sparkapi;

import org.apache.spark.SparkConf;
import org.apache.spark.io.CompressionCodec;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a map output's consecutive blocks may be read as one stream: Spark's own reader's conditions. */
class BatchFetchSupportTest {
    private static SparkConf conf() {
        return new SparkConf(false);
    }

    @Test
    void kryoWithLz4CanBeReadAsOneStream() {
        SparkConf c = conf();
        assertTrue(SparkInternalApi.batchFetchSupported(new KryoSerializer(c), c));
    }

    @Test
    void aSerializerWhoseStreamsCannotBeConcatenatedIsReadBlockByBlock() {
        SparkConf c = conf();
        assertFalse(SparkInternalApi.batchFetchSupported(new JavaSerializer(c), c));
    }

    @Test
    void encryptionAndTheOldFetchProtocolRuleItOut() {
        SparkConf encrypted = conf().set("spark.io.encryption.enabled", "true");
        assertFalse(SparkInternalApi.batchFetchSupported(new KryoSerializer(encrypted), encrypted));
        SparkConf old = conf().set("spark.shuffle.useOldFetchProtocol", "true");
        assertFalse(SparkInternalApi.batchFetchSupported(new KryoSerializer(old), old));
    }

    /** A codec of a user's own: Spark cannot know that its streams concatenate. */
    public static final class PassThroughCodec implements CompressionCodec {
        public PassThroughCodec(SparkConf conf) {}

        @Override
        public OutputStream compressedOutputStream(OutputStream s) {
            return s;
        }

        @Override
        public InputStream compressedInputStream(InputStream s) {
            return s;
        }
    }

    @Test
    void theCodecDecidesOnlyWhenShuffleOutputIsCompressed() {
        SparkConf own = conf().set("spark.io.compression.codec", PassThroughCodec.class.getName());
        assertFalse(SparkInternalApi.batchFetchSupported(new KryoSerializer(own), own));
        SparkConf uncompressed = own.clone().set("spark.shuffle.compress", "false");
        assertTrue(SparkInternalApi.batchFetchSupported(new KryoSerializer(uncompressed), uncompressed));
    }
}

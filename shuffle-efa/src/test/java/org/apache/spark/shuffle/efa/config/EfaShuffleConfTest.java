package org.apache.spark.shuffle.efa.config;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EfaShuffleConfTest {

    @Test
    void aMapTasksFirstExtentIsNeverLargerThanTheBudget() {
        // The default 32m reserve with a 4m budget would never fit: every output went to files.
        EfaShuffleConf c = EfaShuffleConf.from(new SparkConf(false).set("spark.shuffle.efa.buffer.budget", "4m"));
        assertEquals(4L << 20, c.writerReserve());
        assertEquals(32L << 20, EfaShuffleConf.from(new SparkConf(false)).writerReserve());
    }

    @Test
    void aTransportValueTooLargeForItsTypeIsRefusedWithTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EfaShuffleConf.from(
                new SparkConf(false).set("spark.shuffle.efa.transport.maxOutstanding", "4294967360")));
        assertTrue(e.getMessage().contains("maxOutstanding"), e.getMessage());
    }
}

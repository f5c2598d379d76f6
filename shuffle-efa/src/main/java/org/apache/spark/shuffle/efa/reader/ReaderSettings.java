package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.SparkConf;
import org.apache.spark.shuffle.efa.config.EfaShuffleConf;
import org.apache.spark.shuffle.efa.sparkapi.SparkInternalApi;

/** The reader's share of the configuration. */
record ReaderSettings(long maxBytesInFlight, int retries, long retryWaitMillis, long timeoutMillis,
                      String checksumAlgorithm) {
    static ReaderSettings from(EfaShuffleConf conf, SparkConf spark) {
        return new ReaderSettings(conf.maxBytesInFlight(), conf.fetchRetries(), conf.retryWait().toMillis(),
                conf.fetchTimeout().toMillis(), SparkInternalApi.checksumAlgorithm(spark));
    }
}

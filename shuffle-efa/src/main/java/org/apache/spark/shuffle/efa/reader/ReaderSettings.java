package org.apache.spark.shuffle.efa.reader;

import org.apache.spark.shuffle.efa.EfaShuffleConf;

/** The reader's share of the configuration. */
record ReaderSettings(long maxBytesInFlight, int retries, long retryWaitMillis, long timeoutMillis) {
    static ReaderSettings from(EfaShuffleConf conf) {
        return new ReaderSettings(conf.maxBytesInFlight(), conf.fetchRetries(), conf.retryWait().toMillis(),
                conf.fetchTimeout().toMillis());
    }
}

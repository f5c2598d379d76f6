package org.apache.spark.shuffle.efa;

import org.apache.spark.SparkConf;
import org.apache.spark.shuffle.api.ShuffleDataIO;
import org.apache.spark.shuffle.api.ShuffleDriverComponents;
import org.apache.spark.shuffle.api.ShuffleExecutorComponents;

/**
 * {@code spark.shuffle.sort.io.plugin.class=org.apache.spark.shuffle.efa.EfaShuffleDataIO}: map
 * outputs into registered memory on executors, the segment registry on the driver.
 */
public final class EfaShuffleDataIO implements ShuffleDataIO {
    private final SparkConf conf;

    public EfaShuffleDataIO(SparkConf conf) {
        this.conf = conf;
    }

    @Override
    public ShuffleExecutorComponents executor() {
        return new EfaShuffleExecutorComponents(conf);
    }

    @Override
    public ShuffleDriverComponents driver() {
        return new EfaShuffleDriverComponents();
    }
}

package org.apache.spark.shuffle.efa.registry;

import org.apache.spark.SecurityManager;
import org.apache.spark.SecurityManager$;
import org.apache.spark.SparkConf;
import org.apache.spark.rpc.RpcAddress;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.rpc.RpcEnv$;
import org.apache.spark.rpc.ThreadSafeRpcEndpoint;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.PartialFunction;
import scala.runtime.AbstractPartialFunction;
import scala.runtime.BoxedUnit;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Over Spark's own RPC on loopback, in one JVM: an executor reports a task's stats one-way and then
 * says the task finished (as Spark's status update does, to another endpoint of the driver). Once
 * the driver has seen "finished", the registry's totals include that task, every time.
 */
class StatsReportOrderTest {
    /** Stands in for Spark's scheduler endpoint: records which tasks finished. */
    private static final class Scheduler implements ThreadSafeRpcEndpoint {
        private final RpcEnv rpcEnv;
        final BlockingQueue<Object> finished = new LinkedBlockingQueue<>();

        Scheduler(RpcEnv rpcEnv) {
            this.rpcEnv = rpcEnv;
        }

        @Override
        public RpcEnv rpcEnv() {
            return rpcEnv;
        }

        @Override
        public PartialFunction<Object, BoxedUnit> receive() {
            return new AbstractPartialFunction<>() {
                @Override
                public boolean isDefinedAt(Object x) {
                    return true;
                }

                @Override
                public <A1, B1> B1 applyOrElse(A1 x, scala.Function1<A1, B1> fallback) {
                    finished.add(x);
                    @SuppressWarnings("unchecked")
                    B1 unit = (B1) BoxedUnit.UNIT;
                    return unit;
                }
            };
        }
    }

    @Test
    void aFinishedTasksStatsAreInTheDriversTotals() throws Exception {
        SparkConf conf = new SparkConf();
        SecurityManager security = new SecurityManager(conf, Option.empty(),
                SecurityManager$.MODULE$.$lessinit$greater$default$3());
        RpcEnv driver = RpcEnv$.MODULE$.create("driver", "127.0.0.1", 0, conf, security, false);
        RpcEnv executor = RpcEnv$.MODULE$.create("executor", "127.0.0.1", 0, conf, security, true);
        try {
            ShuffleSegmentRegistry registry = new ShuffleSegmentRegistry(driver);
            driver.setupEndpoint(ShuffleSegmentRegistry.ENDPOINT_NAME, registry);
            Scheduler scheduler = new Scheduler(driver);
            driver.setupEndpoint("scheduler", scheduler);
            RpcAddress address = driver.address();
            DriverRegistryClient client = new DriverRegistryClient(
                    executor.setupEndpointRef(address, ShuffleSegmentRegistry.ENDPOINT_NAME), "1");
            RpcEndpointRef schedulerRef = executor.setupEndpointRef(address, "scheduler");

            ShuffleCounts task = ShuffleCounts.of(java.util.Arrays.copyOf(new long[] {4096, 3, 0, 1, 3, 3}, ShuffleCounts.SIZE));
            ShuffleCounts expected = ShuffleCounts.ZERO;
            for (int i = 0; i < 200; i++) {
                client.reportStats(task); // returns at once
                schedulerRef.send("task " + i + " finished");
                assertNotNull(scheduler.finished.poll(30, TimeUnit.SECONDS), "task " + i + " never finished");
                expected = expected.plus(task);
                assertEquals(expected, registry.stats(), "after task " + i);
            }
        } finally {
            executor.shutdown();
            driver.shutdown();
            executor.awaitTermination();
            driver.awaitTermination();
        }
    }
}

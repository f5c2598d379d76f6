package io.efashuffle.spark

import org.apache.spark.SparkConf
import org.apache.spark.scheduler.{SparkListener, SparkListenerTaskEnd}
import org.apache.spark.shuffle.efa.registry.ShuffleCounter._
import org.scalatest.funsuite.AnyFunSuite

import io.efashuffle.spark.ClusterSupport._

/**
 * Every workload gives the same result with the plugin as with Spark's built-in sort shuffle on
 * the same input, under Kryo and Java serializers, compression on and off, IO encryption, and on
 * the tcp and shm providers. Each cluster is real: two executor JVMs, Netty or the fabric between.
 */
class PluginCorrectnessSuite extends AnyFunSuite with UsersJit {

  /** Everything the workloads produce, in comparable form. */
  case class Results(
      groupBy: Seq[(Int, Int, Long)],
      manyPartitions: Seq[(Int, Long)],
      largeRecords: Seq[(Int, Int, Long)],
      empty: Seq[(Int, Long)],
      singleMap: Seq[(Int, Long)],
      concurrent: Seq[Seq[(Int, Long)]],
      sql: Seq[String])

  case class Run(results: Results, sqlPlan: String, readBytes: Long, recordsRead: Long,
      stats: org.apache.spark.shuffle.efa.registry.ShuffleCounts)

  /**
   * Runs every workload; the 2,400-partition one (HighlyCompressedMapStatus, mostly empty blocks:
   * the reader's bookkeeping, whatever the bytes) only where `manyPartitions`, since its 2,400
   * reduce tasks cost more than all the others together.
   */
  private def runAll(conf: SparkConf, manyPartitions: Boolean = true): Run = withSession(conf) { spark =>
    val sc = spark.sparkContext
    @volatile var bytes = 0L
    @volatile var records = 0L
    @volatile var counting = true
    sc.addSparkListener(new SparkListener {
      override def onTaskEnd(end: SparkListenerTaskEnd): Unit = synchronized {
        Option(end.taskMetrics).filter(_ => counting).foreach { m =>
          bytes += m.shuffleReadMetrics.remoteBytesRead + m.shuffleReadMetrics.localBytesRead
          records += m.shuffleReadMetrics.recordsRead
        }
      }
    })
    val many = if (manyPartitions) Jobs.reduceManyPartitions(sc) else Nil
    val rdd = Results(Jobs.groupBySkewed(sc), many, Jobs.sortLargeRecords(sc),
      Jobs.emptyShuffle(sc), Jobs.singleMapManyReducers(sc), Jobs.concurrentJobs(sc), Nil)
    // Read metrics are compared over the RDD workloads only: AQE's plans depend on sizes.
    org.apache.spark.SparkInternals.drain(sc)
    counting = false
    val (rows, plan) = Jobs.sqlJoinAggregate(spark)
    org.apache.spark.SparkInternals.drain(sc)
    Run(rdd.copy(sql = rows), plan, bytes, records, pluginStats)
  }

  // Receive buffers of 64 KiB so that the 300 KiB records of sortLargeRecords span several.
  private def small(conf: SparkConf): SparkConf =
    conf.set("spark.shuffle.efa.receive.bufferSize", "64k").set("spark.shuffle.efa.receive.poolSize", "2m")

  private lazy val baseline: Run = runAll(ClusterConf.builtin("baseline"))

  /** `sameMetrics`: the baseline's serializer and codec, so Spark's read metrics must agree exactly. */
  private def check(name: String, conf: SparkConf, sameMetrics: Boolean = false): Unit = test(name) {
    val expected = baseline
    val run = runAll(small(conf), manyPartitions = sameMetrics)
    assert(run.results.groupBy == expected.results.groupBy, "groupByKey (skewed)")
    if (sameMetrics) {
      assert(run.results.manyPartitions == expected.results.manyPartitions, "reduceByKey into 2,400 partitions")
    }
    assert(run.results.largeRecords == expected.results.largeRecords, "sortByKey of records > receive buffers")
    assert(run.results.empty.isEmpty && expected.results.empty.isEmpty, "zero-record shuffle")
    assert(run.results.singleMap == expected.results.singleMap, "one map, 500 reducers")
    assert(run.results.concurrent == expected.results.concurrent, "three concurrent jobs")
    assert(run.results.sql == expected.results.sql, "SQL join + aggregation under AQE")
    // The plugin path was really taken, and Spark's read metrics agree with the built-in reader's.
    assert(run.stats.get(FABRIC_BLOCKS) > 0 && run.stats.get(FABRIC_BYTES) > 0, s"no block crossed the fabric: ${run.stats}")
    assert(run.stats.get(STAGED_MAP_OUTPUTS) > 0, s"no map output was staged: ${run.stats}")
    if (sameMetrics) {
      assert(run.recordsRead == expected.recordsRead, "shuffle records read")
      assert(run.readBytes == expected.readBytes, "shuffle bytes read (remote + local)")
    }
  }

  test("the SQL workload really exercises AQE coalescing, skew-join splitting and the local reader") {
    val plan = baseline.sqlPlan
    assert(plan.contains("coalesced"), plan)
    assert(plan.contains("skewed"), plan)
    assert(plan.contains("local"), plan)
  }

  check("tcp, Kryo, compression on (and 2,400 partitions)", ClusterConf.plugin("tcp-kryo"), sameMetrics = true)
  // Settings that change the bytes staged, together on one cluster: the serializer, no codec, and
  // IO encryption (the staged blocks are then ciphertext). The same cluster runs executors as EFA
  // nodes do: 4 task slots each, whose concurrent reduce tasks share one receive pool (32 buffers
  // here) and one rail, and whose sorts and aggregations spill.
  check("tcp, Java serializer, compression off, IO encryption, 4 task slots per executor, reduce tasks spilling",
    ClusterConf.plugin("tcp-java-encrypted-4-slots", cores = 4)
      .set("spark.serializer", "org.apache.spark.serializer.JavaSerializer")
      .set("spark.shuffle.compress", "false")
      .set("spark.io.encryption.enabled", "true")
      .set("spark.shuffle.spill.numElementsForceSpillThreshold", "5000"))
  check("shm, Kryo", ClusterConf.plugin("shm-kryo", provider = "shm"))
}

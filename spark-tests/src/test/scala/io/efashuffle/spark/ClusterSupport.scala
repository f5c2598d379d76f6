package io.efashuffle.spark

import java.io.File
import java.nio.file.Files

import org.apache.spark.{FetchFailed, SparkConf, SparkContext}
import org.apache.spark.scheduler.{SparkListener, SparkListenerStageSubmitted, SparkListenerTaskEnd}
import org.apache.spark.shuffle.efa.EfaShuffleDriverComponents
import org.apache.spark.shuffle.efa.registry.ShuffleCounts
import org.apache.spark.sql.SparkSession

/** Runs a body against a fresh local-cluster and always stops it. */
object ClusterSupport {
  /**
   * With the plugin on a local cluster, the body begins once every executor's fabric start has ended
   * ([[ExecutorProbes.awaitFabricStarts]]), so what it counts does not depend on how fast executors came up.
   */
  def withSession[T](conf: SparkConf)(body: SparkSession => T): T = {
    val spark = SparkSession.builder().config(ClusterConf.forStart(conf)).getOrCreate()
    try {
      ExecutorProbes.localClusterExecutors(conf.get("spark.master", "")).filter(_ => conf.get("spark.shuffle.manager", "") == ClusterConf.PluginManager)
        .foreach(n => assert(ExecutorProbes.awaitFabricStarts(spark.sparkContext, n), s"$n executors' fabric starts did not end in 60 s"))
      body(spark)
    } finally spark.stop()
  }

  /** Without waiting for fabric starts: the user's first job on fresh executors. */
  def withFreshSession[T](conf: SparkConf)(body: SparkSession => T): T = {
    val spark = SparkSession.builder().config(ClusterConf.forStart(conf)).getOrCreate()
    try body(spark) finally spark.stop()
  }


  def withContext[T](conf: SparkConf)(body: SparkContext => T): T = withSession(conf)(s => body(s.sparkContext))

  def withFreshContext[T](conf: SparkConf)(body: SparkContext => T): T =
    withFreshSession(conf)(s => body(s.sparkContext))

  /**
   * Spark's built-in shuffle's result for [[Jobs.groupBySkewed]], computed once per test JVM on
   * its own local-cluster: the suites that only need a reference result share it.
   */
  lazy val builtinGroupBySkewed: Seq[(Int, Int, Long)] =
    withContext(ClusterConf.builtin("builtin-reference"))(sc => Jobs.groupBySkewed(sc))

  /** Each executor's log (its stderr under the local cluster's work dir) of an application, by executor id. */
  def executorLogs(appId: String): Map[String, String] = {
    val dir = new File(System.getProperty("spark.home"), s"work/$appId")
    Option(dir.listFiles()).toSeq.flatten.map(d => d.getName -> new File(d, "stderr")).filter(_._2.exists())
      .map { case (id, f) => id -> Files.readString(f.toPath) }.toMap
  }

  /** The plugin counters the driver registry has summed so far (zero without the plugin). */
  def pluginStats: ShuffleCounts =
    Option(EfaShuffleDriverComponents.activeRegistry()).map(_.stats()).getOrElse(ShuffleCounts.ZERO)

  /** Counts what Spark's recovery did: FetchFailed task ends (their messages) and stage re-attempts. */
  final class RecoveryCounter extends SparkListener {
    @volatile var fetchFailures: Seq[String] = Nil
    @volatile var stageRetries = 0

    override def onTaskEnd(e: SparkListenerTaskEnd): Unit = e.reason match {
      case f: FetchFailed => fetchFailures :+= f.message
      case _ =>
    }

    override def onStageSubmitted(e: SparkListenerStageSubmitted): Unit =
      if (e.stageInfo.attemptNumber() > 0) stageRetries += 1
  }

  def countRecovery(sc: SparkContext): RecoveryCounter = {
    val c = new RecoveryCounter
    sc.addSparkListener(c)
    c
  }

  /**
   * Waits (at most 30 s: buffers return when libfabric releases their reads) until every one of
   * `executors` executors has all its receive buffers free and none quarantined. Returns whether
   * that happened, and each executor's last `receive.*` gauges.
   */
  def receivePoolsRefilled(sc: SparkContext, executors: Int): (Boolean, Map[String, Map[String, Long]]) = {
    def pools = ExecutorProbes.probe(sc, executors).map { case (id, e) =>
      id -> e.metrics.filter(_._1.startsWith("receive."))
    }
    def full(p: Map[String, Map[String, Long]]) = p.size == executors && p.values.forall { m =>
      m("receive.freeBuffers") == m("receive.buffers") && m("receive.quarantinedBuffers") == 0
    }
    val deadline = System.nanoTime() + 30L * 1000 * 1000 * 1000
    var last = pools
    while (!full(last) && System.nanoTime() < deadline) {
      Thread.sleep(500)
      last = pools
    }
    (full(last), last)
  }
}

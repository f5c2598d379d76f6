package io.efashuffle.spark.bench

import java.io.{BufferedReader, InputStreamReader}
import java.nio.charset.StandardCharsets
import java.util.concurrent.atomic.AtomicBoolean

import org.apache.spark.SPARK_VERSION
import org.apache.spark.scheduler.{SparkListener, SparkListenerTaskEnd}
import org.apache.spark.sql.SparkSession

import io.efashuffle.spark.{ClusterConf, ExecutorProbes}
import io.efashuffle.tpc.{QueryRun, QueryRunner, ResultsWriter, RunHeader, TpcBenchMain, TpcData, TpcSuite}

/**
 * One side of `spark-bench tpcds|tpch`: a driver JVM of its own (one SparkContext per JVM) with
 * its local cluster, configured by the `spark.*` system properties [[TpcBench]] passes. It
 * checks or generates the data, warms up, says `TPC-READY <app>` on stdout, then runs the
 * queries it is sent ([[TpcBenchMain.serve]]), measuring its executors' processes' CPU from /proc.
 * Arguments: suite, scale factor, data directory, results file, label, executors.
 */
object TpcSideProcess {
  /** The plugin's bytes read over the fabric during a run (the driver registry's counter; 0 for the built-in shuffle). */
  val FabricBytes = "fabricBytes"

  def main(args: Array[String]): Unit = {
    val Array(suiteName, sf, data, results, label, executors) = args
    val suite = TpcSuite.named(suiteName)
    val spark = SparkSession.builder().appName(s"spark-bench-${suite.name}-$label").getOrCreate()
    try {
      val sc = spark.sparkContext
      awaitExecutors(spark, executors.toInt)
      val tpcData = new TpcData(spark, suite, sf.toDouble, data, log = m => System.err.println(s"[$label] $m"))
      tpcData.ensure()
      tpcData.register()
      if (sc.getConf.get("spark.shuffle.manager", "") == ClusterConf.PluginManager &&
          !ExecutorProbes.awaitFabricStarts(sc, executors.toInt)) {
        System.err.println(s"[$label] the executors' fabric starts did not end in 60 s")
      }
      val appId = sc.applicationId
      val runner = new QueryRunner(spark, suite, () => Map(QueryRun.ExecutorCpuSec -> ExecutorCpu.of(appId).total,
        TpcSideProcess.FabricBytes -> BenchContext.fabricBytes.toDouble))
      val header = RunHeader(suite.name, TpcData.sfLabel(sf.toDouble), label, sc.getConf.get("spark.shuffle.manager", "sort"),
        appId, SPARK_VERSION, sc.getConf.getAll.filter(_._1.startsWith("spark.shuffle")).toMap)
      val writer = new ResultsWriter(results, header)
      try {
        println(s"TPC-READY $appId")
        System.out.flush()
        val in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
        TpcBenchMain.serve(runner, in, System.out, Some(writer), query => new ExecutorKiller(spark, appId, label, query))
      } finally { writer.close(); runner.close() }
    } finally spark.stop()
    sys.exit(0)
  }

  /** Every executor registered (their JVMs start while the driver goes on), then one small shuffle on the fresh executors. */
  private def awaitExecutors(spark: SparkSession, executors: Int): Unit = {
    val sc = spark.sparkContext
    val deadline = System.nanoTime() + 120L * 1000 * 1000 * 1000
    while (sc.statusTracker.getExecutorInfos.length < executors + 1 && System.nanoTime() < deadline) Thread.sleep(100)
    sc.parallelize(0 until 20000, 4 * executors).map(i => (i % 1000, i.toLong)).reduceByKey(_ + _, 2 * executors).collect()
  }
}

/**
 * SIGKILLs one executor of this application once a task of the query that read shuffle data has
 * ended: in the middle of the query, with map outputs to lose. The executor killed is the one that
 * ran no part of that task, so its outputs are being read. Once per arming.
 */
private final class ExecutorKiller(spark: SparkSession, appId: String, label: String, query: String)
    extends SparkListener with TpcBenchMain.ArmedFault {
  private val struck = new AtomicBoolean(false)
  spark.sparkContext.addSparkListener(this)

  override def onTaskEnd(e: SparkListenerTaskEnd): Unit = {
    val read = Option(e.taskMetrics).exists(_.shuffleReadMetrics.totalBlocksFetched > 0)
    if (read && struck.compareAndSet(false, true)) {
      val victim = ExecutorCpu.processes(appId).toSeq.sortBy(_._1).find(_._1 != e.taskInfo.executorId)
      victim.foreach { case (id, proc) =>
        ProcessHandle.of(proc.getFileName.toString.toLong).ifPresent { p =>
          System.err.println(s"[$label] $query: SIGKILL executor $id (pid ${p.pid}) after a shuffle-reading task ended on executor ${e.taskInfo.executorId}")
          p.destroyForcibly()
        }
      }
    }
  }

  override def close(): Unit = spark.sparkContext.removeSparkListener(this)

  override def fired: Boolean = struck.get

}

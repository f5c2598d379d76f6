package io.efashuffle.spark.bench

import java.io.{BufferedReader, InputStreamReader}
import java.nio.charset.StandardCharsets
import java.util.concurrent.atomic.AtomicBoolean

import org.apache.spark.scheduler.{SparkListener, SparkListenerTaskEnd}
import org.apache.spark.sql.SparkSession

import io.efashuffle.tpc.{QueryRun, QueryRunner, ResultsWriter, RunHeader, TpcBenchMain, TpcData, TpcSuite}

/**
 * One side of `spark-bench tpcds|tpch`: a driver JVM of its own (one SparkContext per JVM) with
 * its local cluster, configured by the `spark.*` system properties [[TpcBench]] passes. It
 * warms up as spark-bench's other clusters do, checks or generates the data, says `TPC-READY <app>` on stdout, then runs the
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
      SparkBench.warmUp(spark, executors.toInt, label)
      val tpcData = new TpcData(spark, suite, sf.toDouble, data, log = m => System.err.println(s"[$label] $m"))
      tpcData.ensure()
      tpcData.register()
      val appId = spark.sparkContext.applicationId
      val runner = new QueryRunner(spark, suite, () => Map(QueryRun.ExecutorCpuSec -> ExecutorCpu.of(appId).total,
        TpcSideProcess.FabricBytes -> BenchContext.fabricBytes.toDouble))
      val writer = new ResultsWriter(results, RunHeader.of(spark, suite, sf.toDouble, label))
      try {
        println(s"TPC-READY $appId")
        System.out.flush()
        val in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
        TpcBenchMain.serve(runner, in, System.out, Some(writer), query => new ExecutorKiller(spark, appId, label, query))
      } finally { writer.close(); runner.close() }
    } finally spark.stop()
    sys.exit(0)
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

package io.efashuffle.spark

import java.util.concurrent.ConcurrentLinkedQueue

import scala.jdk.CollectionConverters._

import org.apache.spark.{FetchFailed, SparkConf, SparkContext, SparkInternals, Success, TaskEndReason}
import org.apache.spark.scheduler.{JobFailed, SparkListener, SparkListenerJobEnd, SparkListenerTaskEnd}
import org.apache.spark.shuffle.efa.metrics.RegistrySource
import org.apache.spark.sql.SparkSession
import org.scalatest.funsuite.AnyFunSuite

/**
 * A standalone cluster on one host whose second Worker's executors cannot start the fabric (its
 * environment names a libfabric that does not exist) while the first Worker's stage map outputs
 * in registered memory, under Spark's defaults (`spark.shuffle.readHostLocalDisk=true`): the
 * fallen-back executor reads the staging executor's blocks through Spark's host-local path, which
 * must reach the owner's memory. Every job gives the built-in shuffle's result on the same
 * cluster, with no failed task and no FetchFailed.
 */
class MixedClusterSuite extends AnyFunSuite with UsersJit {
  private val NoFabric = Map("EFA_SHUFFLE_LIBFABRIC" -> "/nonexistent/libfabric.so.1")

  /** Every job this suite runs, each result comparable across shuffles. */
  private def jobs(spark: SparkSession): Map[String, Any] = {
    val sc = spark.sparkContext
    Map(
      "groupByKey (skewed)" -> Jobs.groupBySkewed(sc, records = 100000),
      "reduceByKey" -> Jobs.concurrentJobs(sc),
      "sortByKey" -> Jobs.sortLargeRecords(sc, recordBytes = 64 * 1024),
      "join" -> Jobs.joinPairs(sc),
      "SQL join + aggregation (AQE)" -> Jobs.sqlJoinAggregate(spark)._1)
  }

  /** One application on `cluster`: one executor per Worker, Spark's default host-local reading. */
  private def onCluster(cluster: StandaloneCluster, conf: SparkConf): SparkConf =
    conf.setMaster(cluster.masterUrl)
      .remove("spark.shuffle.readHostLocalDisk") // Spark's default, true: what users run
      .set("spark.executor.memory", "512m")
      .set("spark.executor.cores", "1")
      .set("spark.cores.max", "2")

  test("one Worker stages, one falls back, readHostLocalDisk=true: every job equals the built-in shuffle") {
    StandaloneCluster.run(Seq(Map.empty, NoFabric)) { cluster =>
      val expected = run(onCluster(cluster, ClusterConf.builtin("mixed-builtin")))._1
      val (results, failures, probes, stagedOutputs) =
        run(onCluster(cluster, ClusterConf.plugin("mixed-plugin", provider = "tcp")))

      // The cluster really is mixed: worker 0's executor started the fabric, worker 1's fell back.
      val staging = cluster.executorLogs(0).mkString
      val fallenBack = cluster.executorLogs(1).mkString
      assert(staging.contains("EFA shuffle on executor"), staging.takeRight(4000))
      assert(fallenBack.contains("EFA shuffle unavailable on executor") && fallenBack.contains("/nonexistent/"),
        fallenBack.takeRight(4000))
      val registered = probes.values.map(_.metrics.getOrElse("registeredBytes", 0L)).toSeq.sorted
      assert(registered.head == 0 && registered.last > 0, probes)
      // Counted by the driver's registry as outputs are published: the executors' own gauge says
      // what is staged now, which is nothing once the driver's cleaner has removed the shuffles.
      assert(stagedOutputs > 0, s"no map output was staged: $probes")
      // ... and the fallen-back executor read staged blocks of its neighbour through the host-local path.
      assert(fallenBack.contains("fetching such host-local blocks from their owner through Netty"),
        fallenBack.takeRight(4000))

      assert(failures.isEmpty, failures.mkString("\n"))
      assert(results.keySet == expected.keySet)
      for ((name, result) <- expected) assert(results(name) == result, s"$name differs from the built-in shuffle")
    }
  }

  /**
   * Runs the jobs in one application; returns results, failed tasks and jobs, executor probes and
   * how many map outputs the driver's registry saw staged.
   */
  private def run(conf: SparkConf)
      : (Map[String, Any], Seq[String], Map[String, ExecutorProbes.ExecutorProbe], Long) = {
    val failures = new ConcurrentLinkedQueue[String]()
    ClusterSupport.withSession(conf) { spark =>
      val sc = spark.sparkContext
      sc.addSparkListener(new SparkListener {
        override def onTaskEnd(e: SparkListenerTaskEnd): Unit = e.reason match {
          case Success =>
          case f: FetchFailed => failures.add(s"FetchFailed in stage ${e.stageId}: $f")
          case other: TaskEndReason => failures.add(s"task failed in stage ${e.stageId}: $other")
        }
        override def onJobEnd(e: SparkListenerJobEnd): Unit = e.jobResult match {
          case JobFailed(ex) => failures.add(s"job ${e.jobId} failed: $ex")
          case _ =>
        }
      })
      awaitExecutors(sc, 2)
      // One executor's start fails (it falls back), the other's succeeds: both end.
      assert(ExecutorProbes.awaitFabricStarts(sc, 2), "the executors' fabric starts did not end")
      val results = jobs(spark)
      val probes = ExecutorProbes.probe(sc, 2)
      SparkInternals.drain(sc)
      val staged = SparkInternals.metrics(RegistrySource.NAME).getOrElse("write.stagedMapOutputs", 0L)
      (results, failures.asScala.toSeq, probes, staged)
    }
  }

  private def awaitExecutors(sc: SparkContext, n: Int): Unit = {
    val deadline = System.nanoTime() + 90L * 1000 * 1000 * 1000
    while (sc.statusTracker.getExecutorInfos.length < n + 1) { // + the driver
      assert(System.nanoTime() < deadline, s"$n executors did not register in 90 s")
      Thread.sleep(200)
    }
  }
}

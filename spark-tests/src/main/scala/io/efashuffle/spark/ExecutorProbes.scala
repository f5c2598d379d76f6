package io.efashuffle.spark

import java.nio.file.{Files, Path, Paths}

import scala.concurrent.duration._
import scala.jdk.CollectionConverters._

import org.apache.spark.{HashPartitioner, SparkContext, SparkEnv, SparkInternals, TaskContext}
import org.apache.spark.rdd.RDD
import org.apache.spark.shuffle.efa.EfaShuffleManager
import org.apache.spark.shuffle.efa.metrics.ExecutorShuffleSource

/**
 * Code the lifecycle suite runs inside executors (it must be on their class path, as job code is):
 * probes of an executor's plugin metrics and resources, and a job that kills a serving executor
 * in the middle of its reduce stage.
 */
object ExecutorProbes {
  /** One executor's view, taken by a task running there. */
  case class ExecutorProbe(executorId: String, metrics: Map[String, Long], openFds: Int, pluginThreads: Seq[String])

  /** Runs probe tasks until every executor has answered (each task sleeps so all get one). */
  def probe(sc: SparkContext, executors: Int): Map[String, ExecutorProbe] = {
    val probes = sc.parallelize(0 until executors * 4, executors * 4).mapPartitions { _ =>
      Thread.sleep(300)
      val fds = Option(new java.io.File("/proc/self/fd").list()).map(_.length).getOrElse(-1)
      val ours = Thread.getAllStackTraces.keySet.asScala.map(_.getName).filter(_.startsWith("efa-")).toSeq.sorted
      Iterator(ExecutorProbe(SparkEnv.get.executorId, SparkInternals.metrics(ExecutorShuffleSource.NAME), fds, ours))
    }.collect()
    probes.groupBy(_.executorId).map { case (id, ps) => id -> ps.last }
  }

  /**
   * Waits (at most `bound`) until each of `executors` executors has ended the fabric start it began
   * as it launched: started, or fallen back. Tasks that run while an executor's fabric starts use
   * Spark's built-in path (`FabricLifecycle.startedOrBuiltin`), so suites that count staged
   * outputs or fabric reads begin once starts have ended; PluginLifecycleSuite runs a first job without waiting.
   * Returns whether every start ended within the bound.
   */
  def awaitFabricStarts(sc: SparkContext, executors: Int, bound: FiniteDuration = 60.seconds): Boolean = {
    val deadline = System.nanoTime() + bound.toNanos
    def registered = sc.statusTracker.getExecutorInfos.length - 1 // without the driver
    // Asked of each executor: its segment reaches the driver before its start has ended.
    def ended: Boolean = registered >= executors && {
      val pending = sc.parallelize(0 until executors * 2, executors * 2)
        .map(_ => SparkEnv.get.executorId -> startPendingHere).collect()
      pending.map(_._1).toSet.size >= executors && !pending.exists(_._2)
    }
    while (!ended) {
      if (System.nanoTime() > deadline) return false
      Thread.sleep(100)
    }
    true
  }

  private val LocalCluster = """local-cluster\[(\d+),.*""".r

  /** The number of executors a `local-cluster[N,cores,memory]` master starts, else None. */
  def localClusterExecutors(master: String): Option[Int] = master match {
    case LocalCluster(n) => Some(n.toInt)
    case _ => None
  }

  private def startPendingHere: Boolean = SparkEnv.get.shuffleManager match {
    case m: EfaShuffleManager => m.runtime().startPending()
    case _ => false
  }

  /**
   * A small numbered reduceByKey of 4 maps; returns the shuffled RDD (hold it: once it is garbage,
   * Spark's cleaner removes the shuffle) and the sorted result.
   */
  def numberedShuffle(sc: SparkContext, i: Int, reducers: Int = 6): (RDD[(Int, Long)], Seq[(Int, Long)]) = {
    val rdd = sc.parallelize(0 until 20000, 4).map(x => ((x * 31 + i) % 997, x.toLong)).reduceByKey(_ + _, reducers)
    (rdd, rdd.collect().sortBy(_._1).toSeq)
  }

  def numberedShuffleExpected(i: Int): Seq[(Int, Long)] =
    (0 until 20000).map(x => ((x * 31 + i) % 997, x.toLong)).groupMapReduce(_._1)(_._2)(_ + _).toSeq.sortBy(_._1)

  /**
   * Sums a 4-partition shuffle; the first reduce task past 1,000 records SIGKILLs the other
   * executor, whose map outputs it is still reading. Returns partition -> sum.
   */
  def sumWhileKillingAnExecutor(sc: SparkContext, records: Int, marker: Path): Map[Int, Long] = {
    val appId = sc.applicationId
    val markerPath = marker.toString
    sc.parallelize(0 until records, 8).map { i =>
      val v = new Array[Byte](200)
      java.util.Arrays.fill(v, (i % 127).toByte)
      (i % 4, (i.toLong, v))
    }.partitionBy(new HashPartitioner(4)).mapPartitions { it =>
      var sum = 0L
      var n = 0
      it.foreach { case (_, (x, _)) =>
        sum += x
        n += 1
        if (n == 1000) killAnotherExecutorOnce(appId, Paths.get(markerPath))
      }
      Iterator(TaskContext.getPartitionId() -> sum)
    }.collect().toMap
  }

  private def killAnotherExecutorOnce(appId: String, marker: Path): Unit = {
    FaultJobs.otherExecutor(appId).foreach { p =>
      try {
        Files.createFile(marker) // atomic: only the first task to get here kills
        FaultJobs.touched(marker, FaultJobs.executorIdOf(p))
        p.destroyForcibly()
      } catch { case _: java.nio.file.FileAlreadyExistsException => }
    }
  }
}

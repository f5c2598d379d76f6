package io.efashuffle.spark

import scala.jdk.CollectionConverters._

import org.apache.spark.{SparkContext, SparkEnv}

import io.efashuffle.transfer.fabric.SignalGuard

/**
 * Executor-side code of NativeSafetySuite: a shuffle whose tasks make HotSpot raise its own
 * signals (implicit null checks in JIT-compiled code, safepoint polls under allocation churn and
 * System.gc()), and a probe of what each executor's native state looks like.
 */
object NativeSafetyJobs {
  /** What one executor reports about itself. */
  case class NativeState(executorId: String, pid: Long, preloadsLibjsig: Boolean, reclaimed: Seq[String])

  private final class Box(val value: Int)

  /**
   * Round `round` of a reduceByKey over 8 maps of 20,000 records with 512-byte values; every
   * task churns allocations, calls System.gc() and catches NullPointerExceptions first. Returns
   * key -> (count, sum of value checksums).
   */
  def pressuredShuffle(sc: SparkContext, round: Int): Seq[(Int, (Long, Long))] =
    sc.parallelize(0 until 8, 8).flatMap { m =>
      pressure()
      Iterator.range(0, 20000).map { i =>
        val v = new Array[Byte](512)
        java.util.Arrays.fill(v, ((i * 7 + m + round) % 251).toByte)
        ((i * 13 + m * 7 + round) % 1009, v)
      }
    }.mapValues(v => (1L, v.foldLeft(0L)((s, b) => s * 31 + b)))
      .reduceByKey({ (a, b) => pressureLight(); (a._1 + b._1, a._2 + b._2) }, 6)
      .mapPartitions { it => pressure(); it }
      .collect().sortBy(_._1).toSeq

  /** Each executor's pid, whether libjsig is in the process, and what the signal guard put back there. */
  def nativeState(sc: SparkContext, executors: Int): Map[String, NativeState] =
    sc.parallelize(0 until executors * 4, executors * 4).mapPartitions { _ =>
      Thread.sleep(300)
      val maps = new String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get("/proc/self/maps")))
      Iterator(NativeState(SparkEnv.get.executorId, ProcessHandle.current().pid(), maps.contains("libjsig"),
        SignalGuard.reclaimed().asScala.map(_.toString).toSeq))
    }.collect().groupBy(_.executorId).map { case (id, ps) => id -> ps.last }

  private var sink: Long = 0

  private def pressure(): Unit = {
    var garbage = List.empty[Array[Byte]]
    for (i <- 0 until 4000) {
      garbage = new Array[Byte](8192 + i % 4096) :: (if (i % 500 == 0) Nil else garbage)
    }
    System.gc()
    sink += garbage.size + nullChecks(50000)
  }

  private var calls = 0

  private def pressureLight(): Unit = {
    calls += 1
    if (calls % 2000 == 0) sink += nullChecks(200)
  }

  /** Caught NullPointerExceptions from a field read in a hot loop (a JIT implicit null check). */
  private def nullChecks(n: Int): Long = {
    val boxes = Array(new Box(1), null)
    var caught = 0L
    var i = 0
    while (i < n) {
      try caught += boxes(i & 1).value
      catch { case _: NullPointerException => caught += 1 }
      i += 1
    }
    caught
  }
}

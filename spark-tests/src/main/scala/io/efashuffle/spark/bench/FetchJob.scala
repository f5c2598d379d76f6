package io.efashuffle.spark.bench

import java.nio.file.Paths

import scala.util.control.NonFatal

import org.apache.spark.{HashPartitioner, SparkEnv, SparkInternals}
import org.apache.spark.rdd.RDD

import io.efashuffle.transfer.tools.NativeReadBench

/**
 * Block-fetch throughput: (Int, Array[Byte]) records with large values (1 MiB), the map stage run
 * on its own, then a reduce stage that only sums value lengths, so the reduce stage is fetch plus
 * the least deserialization Spark allows (Kryo copies each value once). Shuffle compression is
 * off for this job (both shuffles) so that lz4 is not measured. GB/s = shuffle bytes read
 * (remote + executor-local) / reduce-stage wall time; executor CPU per GB read in the reduce stage,
 * by thread role (ExecutorCpu). Then serving and reading apart (`roles`): a quarter of the bytes
 * with every map on one executor and every reducer on another, and each executor's CPU per GB
 * in that reduce stage. After both shuffles, with no cluster
 * running, the native C fi_read yardstick (transfer-tools' NativeReadBench, the tool behind
 * `transfer-bench --compare-native`) runs on the same provider for the same number of bytes.
 */
object FetchJob extends BenchJob {
  val name = "fetch"
  private val DefaultMb = 2048

  def shuffleMiB(o: BenchOptions): Long = o.mb(DefaultMb)

  def describe(o: BenchOptions): String =
    s"${o.mb(DefaultMb)} MiB (${o.values(1 << 20)}-byte values, ${o.mapTasks(8)} maps -> ${o.reduceTasks(8)} reducers, " +
      s"no compression); native: ${o.nativeBlockBytes >> 10} KiB reads, ${o.nativeWindow} in flight"

  override def clusterSettings(o: BenchOptions): Map[String, String] = Map("spark.shuffle.compress" -> "false")

  def run(ctx: BenchContext): JobOutcome = {
    val o = ctx.o
    val (maps, vb) = (o.mapTasks(8), o.values(1 << 20))
    val records = math.max(maps.toLong, (o.mb(DefaultMb).toLong << 20) / vb)
    val shuffled = values(ctx.sc.parallelize(0 until maps, maps), maps, records, vb)
      .partitionBy(new HashPartitioner(o.reduceTasks(8)))
    var (mapSec, reduceSec, reduceCpu) = (0.0, 0.0, ExecutorCpu.Zero)
    val (Read(n, bytes, idSum, _), m) = ctx.measure {
      val t0 = System.nanoTime()
      SparkInternals.runMapStage(ctx.sc, shuffled)
      val t1 = System.nanoTime()
      SparkInternals.drain(ctx.sc)
      val cpu0 = ctx.executorCpu()
      val t2 = System.nanoTime()
      val r = sums(shuffled)
      val t3 = System.nanoTime()
      mapSec = (t1 - t0) / 1e9
      reduceSec = (t3 - t2) / 1e9
      reduceCpu = ctx.executorCpu() - cpu0
      r
    }
    ctx.cleanShuffles(shuffled)
    val roleCpu = roles(ctx, maps, math.max(maps.toLong, records / 4), vb)
    val expectedIds = if (vb >= 8) records * (records - 1) / 2 else idSum
    val problems =
      (if (n != records || bytes != records * vb) Seq(s"read $n records / $bytes bytes, wrote $records / ${records * vb}")
       else Nil) ++
      (if (idSum != expectedIds) Seq(s"record numbers sum to $idSum, expected $expectedIds") else Nil) ++
      (if (m.readBytes != m.writeBytes) Seq(s"reducers fetched ${m.readBytes} bytes, maps wrote ${m.writeBytes}") else Nil)
    JobOutcome(m.copy(mapSec = mapSec, reduceSec = reduceSec), Seq(s"$n records, $bytes value bytes, id sum $idSum"),
      problems, extra = Map("gbps" -> m.readBytes / reduceSec / 1e9,
        "serverCpuSecPerGB" -> reduceCpu.server / (m.readBytes / 1e9),
        "progressCpuSecPerGB" -> reduceCpu.progress / (m.readBytes / 1e9),
        "taskCpuSecPerGB" -> reduceCpu.tasks / (m.readBytes / 1e9)) ++ roleCpu.map { case (serving, reading) =>
          Map("servingCpuSecPerGB" -> serving, "readingCpuSecPerGB" -> reading)
        }.getOrElse(Map.empty))
  }

  /** `records` (Int, `vb`-byte value) pairs from `maps` partitions of `parts`. */
  private def values(parts: RDD[Int], maps: Int, records: Long, vb: Int): RDD[(Int, Array[Byte])] =
    parts.flatMap { m =>
      (records * m / maps until records * (m + 1) / maps).iterator.map { i =>
        val v = new Array[Byte](vb) // zeros but the record number: content is not what is measured
        for (b <- 0 until math.min(8, vb)) v(b) = (i >>> (8 * b)).toByte
        (i.toInt, v)
      }
    }

  /** What reducers read: records, value bytes, the sum of record numbers, and the executors they ran on. */
  private final case class Read(records: Long, bytes: Long, ids: Long, executors: Set[String]) {
    def +(o: Read): Read = Read(records + o.records, bytes + o.bytes, ids + o.ids, executors ++ o.executors)
  }

  private def sums(shuffled: RDD[(Int, Array[Byte])]): Read =
    shuffled.mapPartitions { it =>
      var (n, bytes, ids) = (0L, 0L, 0L)
      it.foreach { case (_, v) =>
        n += 1
        bytes += v.length
        var id = 0L
        for (b <- 0 until math.min(8, v.length)) id |= (v(b) & 0xffL) << (8 * b)
        ids += id
      }
      Iterator(Read(n, bytes, ids, Set(SparkEnv.get.executorId)))
    }.collect().foldLeft(Read(0, 0, 0, Set.empty))(_ + _)

  /**
   * The serving and the reading executor's CPU seconds (whole process) per GB read, each role on
   * its own executor: every map runs on the first executor and every reducer on the second
   * (preferred locations, a long locality wait), so each reducer reads everything remotely. None
   * with one executor, or (said on stderr) when a task ran elsewhere anyway or a read was lost.
   */
  private def roles(ctx: BenchContext, maps: Int, records: Long, vb: Int): Option[(Double, Double)] = {
    val executors = SparkInternals.executorHosts(ctx.sc)
    if (executors.size < 2) return None
    val Seq(server, reader) = executors.take(2).map { case (id, host) => id -> SparkInternals.executorLocation(id, host) }
    SparkInternals.withLocalityWait(ctx.sc, "60s") {
      val shuffled = values(new PinnedRDD(ctx.sc.parallelize(0 until maps, maps), server._2), maps, records, vb)
        .partitionBy(new HashPartitioner(ctx.o.reduceTasks(8)))
      try {
        SparkInternals.runMapStage(ctx.sc, shuffled)
        val mapsOn = SparkInternals.mapOutputs(ctx.sc, SparkInternals.shuffleId(shuffled)).map(_._1).toSet
        SparkInternals.drain(ctx.sc)
        val before = ExecutorCpu.byExecutor(ctx.sc.applicationId)
        val read = sums(new PinnedRDD(shuffled, reader._2))
        SparkInternals.drain(ctx.sc)
        val after = ExecutorCpu.byExecutor(ctx.sc.applicationId)
        if (mapsOn != Set(server._1) || read.executors != Set(reader._1) || read.records != records) {
          ctx.log(s"roles: maps ran on $mapsOn, reducers on ${read.executors}, ${read.records} of $records records " +
            "read: not reported")
          None
        } else {
          val gb = read.bytes / 1e9
          val (served, reading) = (after(server._1) - before(server._1), after(reader._1) - before(reader._1))
          ctx.log(f"roles: the serving executor's CPU per GB read: ${served.total / gb}%.3f s (tasks " +
            f"${served.tasks / gb}%.3f, Netty server ${served.server / gb}%.3f, efa-progress ${served.progress / gb}%.3f, " +
            f"JVM ${served.jvm / gb}%.3f, other ${served.other / gb}%.3f); reader ${reading.total / gb}%.3f")
          Some((served.total / gb, reading.total / gb))
        }
      } finally ctx.cleanShuffles(shuffled)
    }
  }

  /** The native yardstick's GB/s, or None (with the reason on stderr) where it cannot run. */
  override def afterRuns(o: BenchOptions): Option[Double] = {
    if (!o.native) return None
    try {
      val bench = NativeReadBench.of(o.nativeSource.map(Paths.get(_)).orNull, NativeReadBench.defaultWorkDir())
      System.err.println(s"[fetch/native] ${bench.binary.getFileName} ${o.provider}, ${o.nativeBlockBytes}-byte reads, " +
        s"${o.nativeWindow} in flight, ${o.mb(DefaultMb)} MiB")
      Some(bench.run(o.provider, o.nativeBlockBytes.toLong, o.nativeWindow, o.mb(DefaultMb).toLong))
    } catch {
      case NonFatal(e) =>
        System.err.println(s"[fetch/native] native yardstick skipped: ${e.getMessage}")
        None
    }
  }
}

package io.efashuffle.spark.bench

import java.io.{File, PrintWriter}
import java.nio.file.{Files, Path, Paths}

import scala.jdk.CollectionConverters._
import scala.util.Random

import org.apache.spark.{HashPartitioner, SparkInternals, SparkConf, SparkContext}
import org.apache.spark.scheduler.{SparkListener, SparkListenerTaskEnd}
import org.apache.spark.shuffle.efa.EfaShuffleDriverComponents
import org.apache.spark.sql.SparkSession

import io.efashuffle.spark.ClusterConf

/**
 * `bin/efa-shuffle spark-bench`: the same shuffle-heavy job on a local multi-executor cluster with
 * Spark's built-in shuffle (through Netty) and with the EFA shuffle plugin, in one run. The map
 * stage runs first on its own, so the reduce stage (the fetch) is timed alone, and the executors'
 * process CPU during it is read from /proc (serving + reading, all threads).
 */
object SparkBench {
  final case class Options(
      provider: String = "tcp",
      megabytes: Int = 2048,
      valueBytes: Int = 1000,
      maps: Int = 8,
      reducers: Int = 8,
      executors: Int = 2,
      repeat: Int = 3,
      out: String = "target/bench")

  final case class Row(shuffle: String, provider: String, mapSec: Double, reduceSec: Double, fetchWaitSec: Double,
      executorCpuSec: Double, bytesRead: Long, fabricBytes: Long, records: Long, checksum: Long)

  private val usage =
    """usage: spark-bench [--provider tcp|shm|sockets|efa] [--mb N] [--value-bytes N] [--maps N]
      |                   [--reducers N] [--executors N] [--repeat N] [--out DIR]""".stripMargin

  def parse(args: List[String], o: Options = Options()): Options = args match {
    case Nil => o
    case "--provider" :: v :: rest => parse(rest, o.copy(provider = v))
    case "--mb" :: v :: rest => parse(rest, o.copy(megabytes = v.toInt))
    case "--value-bytes" :: v :: rest => parse(rest, o.copy(valueBytes = v.toInt))
    case "--maps" :: v :: rest => parse(rest, o.copy(maps = v.toInt))
    case "--reducers" :: v :: rest => parse(rest, o.copy(reducers = v.toInt))
    case "--executors" :: v :: rest => parse(rest, o.copy(executors = v.toInt))
    case "--repeat" :: v :: rest => parse(rest, o.copy(repeat = v.toInt))
    case "--out" :: v :: rest => parse(rest, o.copy(out = v))
    case ("-h" | "--help") :: _ => println(usage); sys.exit(0)
    case other :: _ => System.err.println(s"spark-bench: unknown option $other\n$usage"); sys.exit(2)
  }

  def main(args: Array[String]): Unit = {
    val o = parse(args.toList)
    val rows = Seq(
      run(o, "built-in", ClusterConf.builtin("spark-bench-builtin", o.executors, 2048)),
      run(o, "efa-plugin", ClusterConf.plugin("spark-bench-plugin", o.provider, o.executors, 2048)
        .set("spark.shuffle.efa.buffer.budget", s"${math.max(256, o.megabytes / o.executors + 256)}m")))
    if (rows.map(r => (r.records, r.checksum)).distinct.size != 1) {
      System.err.println(s"spark-bench: results differ between shuffles: $rows")
      sys.exit(1)
    }
    print(o, rows)
  }

  private def executorCpuSeconds(appId: String): Double = {
    val ticks = 100.0 // USER_HZ on Linux
    Files.list(Paths.get("/proc")).iterator().asScala.filter(_.getFileName.toString.forall(_.isDigit)).map { p =>
      try {
        val cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\u0000', ' ')
        if (cmd.contains("CoarseGrainedExecutorBackend") && cmd.contains(appId)) {
          val stat = new String(Files.readAllBytes(p.resolve("stat")))
          val f = stat.substring(stat.lastIndexOf(')') + 2).split(" ")
          (f(11).toLong + f(12).toLong) / ticks // utime + stime
        } else 0.0
      } catch { case _: Exception => 0.0 }
    }.sum
  }

  private def run(o: Options, name: String, conf: SparkConf): Row = {
    val spark = SparkSession.builder().config(conf).getOrCreate()
    val sc = spark.sparkContext
    try {
      @volatile var fetchWaitMs = 0L
      @volatile var bytesRead = 0L
      sc.addSparkListener(new SparkListener {
        override def onTaskEnd(e: SparkListenerTaskEnd): Unit = synchronized {
          Option(e.taskMetrics).foreach { m =>
            fetchWaitMs += m.shuffleReadMetrics.fetchWaitTime
            bytesRead += m.shuffleReadMetrics.remoteBytesRead + m.shuffleReadMetrics.localBytesRead
          }
        }
      })
      val recordsPerMap = (o.megabytes.toLong << 20) / (o.valueBytes + 8) / o.maps
      val vb = o.valueBytes
      val runs = for (i <- 1 to o.repeat) yield {
        val data = sc.parallelize(0 until o.maps, o.maps).flatMap { m =>
          val rnd = new Random(m)
          Iterator.fill(recordsPerMap.toInt) {
            val v = new Array[Byte](vb)
            rnd.nextBytes(v)
            (rnd.nextLong(), v)
          }
        }
        val shuffled = data.partitionBy(new HashPartitioner(o.reducers))
        val t0 = System.nanoTime()
        SparkInternals.runMapStage(sc, shuffled)
        val t1 = System.nanoTime()
        SparkInternals.drain(sc)
        val before = (fetchWaitMs, bytesRead, fabricBytes, executorCpuSeconds(sc.applicationId))
        val t2 = System.nanoTime()
        val (records, checksum) = shuffled.mapPartitions { it =>
          var n = 0L
          var sum = 0L
          it.foreach { case (k, v) => n += 1; sum += k ^ v(0) }
          Iterator((n, sum))
        }.collect().foldLeft((0L, 0L)) { case ((a, b), (c, d)) => (a + c, b + d) }
        val t3 = System.nanoTime()
        val cpu = executorCpuSeconds(sc.applicationId) - before._4
        SparkInternals.drain(sc)
        // The next run starts from empty buffers, as a long-lived executor does between jobs.
        SparkInternals.cleanShuffle(sc, SparkInternals.shuffleId(shuffled))
        val row = Row(name, if (name == "built-in") "netty" else o.provider, (t1 - t0) / 1e9, (t3 - t2) / 1e9,
          (fetchWaitMs - before._1) / 1e3, cpu, bytesRead - before._2, fabricBytes - before._3, records, checksum)
        System.err.println(f"spark-bench: $name run $i/${o.repeat}: map ${row.mapSec}%.2f s, reduce ${row.reduceSec}%.2f s")
        row
      }
      median(runs)
    } finally spark.stop()
  }

  /** Each timing is the median over the runs (the first run also warms the JIT and the buffers). */
  private def median(runs: Seq[Row]): Row = {
    def m(f: Row => Double): Double = { val s = runs.map(f).sorted; s(s.size / 2) }
    runs.head.copy(mapSec = m(_.mapSec), reduceSec = m(_.reduceSec), fetchWaitSec = m(_.fetchWaitSec),
      executorCpuSec = m(_.executorCpuSec))
  }

  private def fabricBytes: Long =
    Option(EfaShuffleDriverComponents.activeRegistry()).map(_.stats().fabricBytes).getOrElse(0L)

  private def print(o: Options, rows: Seq[Row]): Unit = {
    val caption = s"spark-bench: ${o.megabytes} MiB shuffled (${o.valueBytes}-byte values, ${o.maps} maps -> " +
      s"${o.reducers} reducers), local-cluster[${o.executors},1,2048], ${Runtime.getRuntime.availableProcessors} cores, " +
      s"Spark ${org.apache.spark.SPARK_VERSION}, Java ${System.getProperty("java.version")}, provider ${o.provider}"
    val header = Seq("shuffle", "transport", "map stage s", "reduce stage s", "fetch wait s", "executor CPU s (reduce)",
      "MiB read", "MiB via fabric")
    val lines = rows.map(r => Seq(r.shuffle, r.provider, f"${r.mapSec}%.2f", f"${r.reduceSec}%.2f",
      f"${r.fetchWaitSec}%.2f", f"${r.executorCpuSec}%.2f", f"${r.bytesRead / 1048576.0}%.1f",
      f"${r.fabricBytes / 1048576.0}%.1f"))
    val widths = header.indices.map(i => (header +: lines).map(_(i).length).max)
    def fmt(cells: Seq[String]) = cells.zip(widths).map { case (c, w) => c.padTo(w, ' ') }.mkString("| ", " | ", " |")
    println(caption)
    println(fmt(header))
    println(widths.map("-" * _).mkString("|-", "-|-", "-|"))
    lines.foreach(l => println(fmt(l)))
    val (b, p) = (rows.head, rows(1))
    println(f"reduce stage: plugin is ${b.reduceSec / p.reduceSec}%.2fx built-in; executor CPU in reduce: " +
      f"${p.executorCpuSec / math.max(0.01, b.executorCpuSec)}%.2fx built-in; results identical " +
      s"(${p.records} records, checksum ${p.checksum})")
    val dir = new File(o.out)
    dir.mkdirs()
    val csv = new File(dir, "spark-bench.csv")
    val w = new PrintWriter(csv)
    try {
      w.println(header.mkString(","))
      lines.foreach(l => w.println(l.mkString(",")))
    } finally w.close()
    println(s"written: ${csv.getPath}")
  }
}

package io.efashuffle.spark.bench

import java.io.{File, PrintWriter}
import java.nio.file.{Files, Paths}

import scala.jdk.CollectionConverters._

/** One table row: a job (or one SQL query) on one shuffle. */
final case class Row(job: String, shuffle: String, transport: String, m: Measurement, failed: Boolean = false,
    gbps: Option[Double] = None, nativeGbps: Option[Double] = None, first: Option[Measurement] = None) {
  def fetchOverNative: Option[Double] = for (g <- gbps; n <- nativeGbps) yield g / n
}

/** The tables (stdout) and CSV files. */
object ResultTable {
  val Header: Seq[String] = Seq("job", "shuffle", "transport", "job time s", "first run job s", "map stage s", "reduce stage s",
    "fetch wait s", "executor CPU s", "task CPU s", "Netty server CPU s", "efa-progress CPU s", "MiB shuffled", "MiB via fabric", "GB/s", "native GB/s", "fetch/native")

  def cells(r: Row): Seq[String] = {
    val m = r.m
    def opt(d: Option[Double], f: Double => String) = d.map(f).getOrElse("-")
    if (r.failed) Seq(r.job, r.shuffle, r.transport) ++ Seq.fill(Header.size - 3)("failed")
    else Seq(r.job, r.shuffle, r.transport, f"${m.jobSec}%.2f", opt(r.first.map(_.jobSec), d => f"$d%.2f"),
      f"${m.mapSec}%.2f", f"${m.reduceSec}%.2f",
      f"${m.fetchWaitSec}%.2f", cpuCell(m.cpu.total), cpuCell(m.cpu.tasks), cpuCell(m.cpu.server),
      cpuCell(m.cpu.progress),
      f"${m.readBytes / 1048576.0}%.1f",
      f"${m.fabricBytes / 1048576.0}%.1f", opt(r.gbps, d => f"$d%.3f"), opt(r.nativeGbps, d => f"$d%.3f"),
      opt(r.fetchOverNative, d => f"$d%.2f"))
  }

  private def cpuCell(sec: Double): String = if (sec.isNaN) "-" else f"$sec%.2f"

  /** A Markdown table, columns padded (one format for every benchmark's tables). */
  def format(header: Seq[String], lines: Seq[Seq[String]]): Seq[String] = io.efashuffle.tpc.MarkdownTable.format(header, lines)

  def writeCsv(file: File, header: Seq[String], lines: Seq[Seq[String]]): File = {
    file.getParentFile.mkdirs()
    val w = new PrintWriter(file)
    try (header +: lines).foreach(l => w.println(l.mkString(","))) finally w.close()
    file
  }

  /** The shuffle job's original table and CSV columns (spark-bench.csv), kept for existing readers. */
  val ShuffleHeader: Seq[String] = Seq("shuffle", "transport", "map stage s", "reduce stage s", "fetch wait s",
    "executor CPU s (reduce)", "MiB read", "MiB via fabric", "first run map s", "first run reduce s")

  def shuffleCells(r: Row, reduceCpuSec: Double): Seq[String] = Seq(r.shuffle, r.transport, f"${r.m.mapSec}%.2f",
    f"${r.m.reduceSec}%.2f", f"${r.m.fetchWaitSec}%.2f", f"$reduceCpuSec%.2f", f"${r.m.readBytes / 1048576.0}%.1f",
    f"${r.m.fabricBytes / 1048576.0}%.1f", r.first.map(f => f"${f.mapSec}%.2f").getOrElse("-"),
    r.first.map(f => f"${f.reduceSec}%.2f").getOrElse("-"))

  /** Where this run happened, for captions: cores, memory, provider, Spark and Java versions. */
  def machine(o: BenchOptions): String = {
    val memGiB = scala.util.Try(Files.readAllLines(Paths.get("/proc/meminfo")).asScala
      .find(_.startsWith("MemTotal:")).map(_.split("\\s+")(1).toLong / 1048576.0).get).toOption
    s"${Runtime.getRuntime.availableProcessors} cores" + memGiB.map(g => f", $g%.0f GiB").getOrElse("") +
      s", local-cluster[${o.executors},${o.executorCores},${o.executorMemoryMb}], provider ${o.provider}, " +
      s"Spark ${org.apache.spark.SPARK_VERSION}, Java ${System.getProperty("java.version")}"
  }
}

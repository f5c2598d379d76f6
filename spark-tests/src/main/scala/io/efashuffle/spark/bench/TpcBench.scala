package io.efashuffle.spark.bench

import java.io.{BufferedReader, File, InputStreamReader, PrintWriter}
import java.nio.charset.StandardCharsets
import java.util.concurrent.TimeUnit

import scala.jdk.CollectionConverters._

import org.apache.spark.SparkConf

import io.efashuffle.spark.ClusterConf
import io.efashuffle.tpc.{Comparison, MarkdownTable, Progress, QueryRun, QuerySummary, TpcData, TpcSuite}

/**
 * `spark-bench tpcds|tpch`: every query of the suite with Spark's built-in shuffle and with the
 * plugin, on the same Parquet data and a local cluster each, both applications up at once (a
 * driver JVM each, [[TpcSideProcess]]), so that the order can alternate query by query: for even
 * queries the built-in side runs first, for odd ones the plugin, run by run, and neither side
 * always meets the other's cold caches. Results are compared per query; a query that fails or
 * differs fails the command.
 */
object TpcBench {
  final case class Report(comparison: Comparison, csv: File, chart: File, resultFiles: Seq[File]) {
    def problems: Seq[String] = comparison.problems
    def ok: Boolean = problems.isEmpty
  }

  /** What one side needs: a label, its Spark settings, where its results file goes. */
  private final case class SideSpec(label: String, conf: SparkConf, results: File)

  def run(o: BenchOptions): Report = {
    val suite = TpcSuite.named(o.job)
    val queries = suite.select(o.queries)
    val sfLabel = TpcData.sfLabel(o.scaleFactor)
    val data = o.data.getOrElse(new File(s"target/tpc-data/${suite.name}-sf$sfLabel").getAbsolutePath)
    val repeat = o.repeat.getOrElse(3)
    val out = new File(o.out)
    out.mkdirs()
    val specs = Seq(SparkBench.Builtin, SparkBench.Plugin).map { label =>
      SideSpec(label, conf(o, suite, label), new File(out, s"tpc-${suite.name}-sf$sfLabel-$label.jsonl"))
    }
    System.err.println(s"[${suite.name}] ${queries.size} queries x $repeat runs per shuffle at scale factor $sfLabel; data in $data")
    // The first side checks or generates the data before the second starts, so it is generated once.
    val sides = scala.collection.mutable.ArrayBuffer.empty[Side]
    val runs = try {
      specs.foreach(s => sides += Side.start(s, suite, o, data))
      val progress = new Progress(queries.size, suite.name)
      queries.zipWithIndex.foreach { case (q, i) =>
        val order = if (i % 2 == 0) sides.toSeq else sides.toSeq.reverse
        for (n <- 1 to repeat; side <- order) side.run(q, n, kill = n == 1 && o.killDuring.contains(q))
        val (b, p) = (QuerySummary(q, sides(0).runs(q)), QuerySummary(q, sides(1).runs(q)))
        progress.done(i + 1, q, if (b.failed || p.failed) "FAILED" else
          f"built-in ${b.seconds}%.2f s, plugin ${p.seconds}%.2f s (${b.seconds / math.max(1e-3, p.seconds)}%.2fx)")
      }
      sides.map(_.allRuns).toSeq
    } finally sides.foreach(_.close())
    val comparison = Comparison.of(SparkBench.Builtin, runs(0), SparkBench.Plugin, runs(1))
    val caption = s"spark-bench ${suite.name} sf $sfLabel: ${ResultTable.machine(o)}"
    val detail = s"${queries.size} queries, $repeat run(s) per shuffle (median, first run apart), order alternating " +
      s"query by query; Spark's defaults but for readHostLocalDisk=false; shuffled MiB and block size are the plugin's"
    println(caption)
    println(detail)
    MarkdownTable.format(comparison.header, comparison.cells).foreach(println)
    comparison.summaryLines.foreach(println)
    val csv = ResultTable.writeCsv(new File(out, s"spark-bench-${suite.name}.csv"), comparison.header, comparison.cells)
    val chart = TpcChart.write(comparison, Seq(caption, detail), new File(out, s"spark-bench-${suite.name}.png"))
    if (comparison.problems.isEmpty) {
      println(s"results equal between shuffles (${queries.size - comparison.notRepeatable.size} queries compared)")
    }
    println(s"written: ${csv.getPath}; results files: ${specs.map(_.results.getPath).mkString(", ")}")
    println(s"chart: ${chart.getPath}")
    Report(comparison, csv, chart, specs.map(_.results))
  }

  /** A side's Spark settings, as spark-bench's other jobs set them, plus the tpc-bench jar for the executors' generation tasks. */
  private def conf(o: BenchOptions, suite: TpcSuite, label: String): SparkConf = {
    val app = s"spark-bench-${suite.name}-$label"
    val base = ClusterConf.throughNetty(
      if (label == SparkBench.Builtin) ClusterConf.builtin(app, o.executors, o.executorMemoryMb, o.executorCores)
      else ClusterConf.plugin(app, o.provider, o.executors, o.executorMemoryMb, o.executorCores)
        .set("spark.shuffle.efa.buffer.budget", "1g")) // the plugin's default budget
    base.set("spark.executor.extraClassPath", base.get("spark.executor.extraClassPath") + File.pathSeparator + ClusterConf.tpcJar)
    o.conf.foldLeft(base) { case (c, (k, v)) => c.set(k, v) }
  }

  /** A running side: its process, the lines it answers with, and its runs so far. */
  private final class Side(spec: SideSpec, process: Process) extends AutoCloseable {
    private val answers = new BufferedReader(new InputStreamReader(process.getInputStream, StandardCharsets.UTF_8))
    private val commands = new PrintWriter(process.getOutputStream, true, StandardCharsets.UTF_8)
    private val done = scala.collection.mutable.ArrayBuffer.empty[QueryRun]
    val app: String = await("TPC-READY ")

    def allRuns: Seq[QueryRun] = done.toSeq
    def runs(query: String): Seq[QueryRun] = done.filter(_.query == query).toSeq

    def run(query: String, n: Int, kill: Boolean): Unit = {
      commands.println(s"run $query $n" + (if (kill) " kill" else ""))
      done += QueryRun.parse(await("TPC-RESULT "))
    }

    /** The next line with the prefix; other stdout lines are passed on; the side's end is an error. */
    private def await(prefix: String): String = {
      var line = answers.readLine()
      while (line != null && !line.startsWith(prefix)) { System.err.println(s"[${spec.label}] $line"); line = answers.readLine() }
      if (line == null) {
        throw new IllegalStateException(s"the ${spec.label} side's driver ended (exit ${process.waitFor()}) before answering; its log is above")
      }
      line.stripPrefix(prefix)
    }

    override def close(): Unit = {
      if (process.isAlive) commands.println("quit")
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.descendants().forEach(p => { p.destroyForcibly(); () })
        process.destroyForcibly()
        process.waitFor(30, TimeUnit.SECONDS)
      }
    }
  }

  private object Side {
    def start(spec: SideSpec, suite: TpcSuite, o: BenchOptions, data: String): Side = {
      val java = new File(System.getProperty("java.home"), "bin/java").getPath
      val props = spec.conf.getAll.toSeq.sorted.map { case (k, v) => s"-D$k=$v" }
      val own = Seq("efa.plugin.jar", "efa.jobs.classes", "efa.tpc.jar", "spark.home").flatMap(k => sys.props.get(k).map(v => s"-D$k=$v"))
      // Warnings only, as spark-bench's own driver logs (the suites' JVMs have no such setting).
      val logging = sys.props.get("log4j2.configurationFile").orElse(sys.props.get("efa.conf.dir").map(_ + "/log4j2-bench.properties"))
        .map(f => s"-Dlog4j2.configurationFile=$f")
      val cmd = Seq(java, "-Xmx2g") ++ ClusterConf.sparkJvmArgs ++ own ++ logging ++ props ++
        Seq("-cp", System.getProperty("java.class.path"), TpcSideProcess.getClass.getName.stripSuffix("$"),
          suite.name, o.scaleFactor.toString, data, spec.results.getAbsolutePath, spec.label, o.executors.toString)
      val process = new ProcessBuilder(cmd.asJava).redirectError(ProcessBuilder.Redirect.INHERIT).start()
      try new Side(spec, process) catch {
        case e: Throwable => process.destroyForcibly(); throw e
      }
    }
  }
}

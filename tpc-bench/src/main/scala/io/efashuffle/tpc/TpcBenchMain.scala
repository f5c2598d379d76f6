package io.efashuffle.tpc

import java.io.{BufferedReader, PrintStream}
import java.util.concurrent.Callable

import scala.jdk.CollectionConverters._

import org.apache.spark.SPARK_VERSION
import org.apache.spark.sql.SparkSession
import picocli.CommandLine
import picocli.CommandLine.{Command, Option => CliOption, Parameters}

/**
 * `spark-submit --class io.efashuffle.tpc.TpcBenchMain tpc-bench.jar run tpcds --sf 1 --data PATH`:
 * TPC-DS or TPC-H on whatever cluster and shuffle the submission configures (one submission
 * measures one shuffle), generating the data first where PATH holds no matching cache. Writes a
 * results file per run; `compare` puts two runs' files side by side.
 */
@Command(name = "tpc-bench", mixinStandardHelpOptions = true, version = Array("tpc-bench 0.1.0"),
  subcommands = Array(classOf[RunCommand], classOf[GenerateCommand], classOf[CompareCommand]),
  description = Array("TPC-DS and TPC-H on Spark, one shuffle per submission"))
final class TpcBenchMain extends Callable[Integer] {
  override def call(): Integer = { new CommandLine(this).usage(System.err); 2 }
}

object TpcBenchMain {
  def main(args: Array[String]): Unit = sys.exit(execute(args.toIndexedSeq: _*))

  /** Runs a command line and returns its exit code (picocli stays out of the signature: this jar relocates it). */
  def execute(args: String*): Int = new CommandLine(new TpcBenchMain).execute(args: _*)

  /** A fault armed for one run (spark-bench's executor kill during a query): whether it struck, recorded with the run. */
  trait ArmedFault extends AutoCloseable {
    def fired: Boolean
  }

  /** The extra key of a run during which an armed fault struck. */
  val FaultFired = "faultFired"

  /**
   * Reads `run QUERY N [kill]` / `quit` lines and answers each run with one `TPC-RESULT <json>`
   * line (spark-bench's two-sided driver). With `kill`, `armFault` is started before the run and
   * closed after it.
   */
  def serve(runner: QueryRunner, in: BufferedReader, out: PrintStream, results: Option[ResultsWriter],
      armFault: String => ArmedFault): Unit = {
    val RunLine = "run (\\S+) (\\d+)( kill)?".r
    Iterator.continually(in.readLine()).takeWhile(l => l != null && l.trim != "quit").foreach {
      case RunLine(query, n, kill) =>
        val fault = Option(kill).map(_ => armFault(query))
        val measured = try runner.run(query, n.toInt) finally fault.foreach(_.close())
        // A killed executor takes its CPU time with it: no whole-process figure for that run.
        val r = fault.fold(measured)(f =>
          measured.copy(extra = measured.extra - QueryRun.ExecutorCpuSec + (FaultFired -> (if (f.fired) 1.0 else 0.0))))
        results.foreach(_.append(r))
        out.println(s"TPC-RESULT ${r.toJson}")
        out.flush()
      case other => out.println(s"TPC-ERROR unknown command '$other'"); out.flush()
    }
  }
}

/** Options shared by `run` and `generate`: which suite, how big, where. */
abstract class DataOptions {
  @Parameters(index = "0", paramLabel = "SUITE", description = Array("tpcds or tpch"))
  var suite: String = _

  @CliOption(names = Array("--sf"), paramLabel = "N", description = Array("scale factor (default 1; fractions such as 0.01 for tests)"))
  var sf: Double = 1.0

  @CliOption(names = Array("--data"), required = true, paramLabel = "PATH",
    description = Array("where the Parquet data is (cached) or goes: a local path, hdfs://..., s3a://..."))
  var data: String = _

  @CliOption(names = Array("--rows-per-chunk"), paramLabel = "N",
    description = Array("rows per generation task (default 1000000)"))
  var rowsPerChunk: Long = TpcData.DefaultRowsPerChunk

  protected def tpcSuite: TpcSuite = TpcSuite.named(suite)

  protected def checked(): Unit = {
    if (!(sf > 0)) throw new IllegalArgumentException(s"--sf needs a positive scale factor, got $sf")
    if (rowsPerChunk <= 0) throw new IllegalArgumentException(s"--rows-per-chunk needs a positive number, got $rowsPerChunk")
  }

  protected def session(): SparkSession = SparkSession.builder().appName(s"tpc-bench $suite sf ${TpcData.sfLabel(sf)}").getOrCreate()
}

@Command(name = "generate", description = Array("generate the data (or check the cache) and stop"))
final class GenerateCommand extends DataOptions with Callable[Integer] {
  override def call(): Integer = {
    checked()
    val spark = session()
    try { new TpcData(spark, tpcSuite, sf, data, rowsPerChunk).ensure(); 0 } finally spark.stop()
  }
}

@Command(name = "run", description = Array("generate the data if needed, then run the queries and write a results file"))
final class RunCommand extends DataOptions with Callable[Integer] {
  @CliOption(names = Array("--queries"), split = ",", paramLabel = "Q",
    description = Array("queries to run, e.g. q1,q14a,q72 (default: all of the suite; TPC-DS v2.7.0's as q5a-v2.7)"))
  var queries: java.util.List[String] = new java.util.ArrayList[String]()

  @CliOption(names = Array("--repeat"), paramLabel = "N", description = Array("runs of each query (default 3)"))
  var repeat: Int = 3

  @CliOption(names = Array("--label"), paramLabel = "NAME",
    description = Array("this run's name in tables (default: built-in, or the shuffle manager's class name)"))
  var label: String = _

  @CliOption(names = Array("--results"), paramLabel = "PATH",
    description = Array("results file: a local path on the driver, or s3a://..., hdfs://... (default tpc-results-SUITE-sfN-LABEL.jsonl)"))
  var results: String = _

  override def call(): Integer = {
    checked()
    if (repeat <= 0) throw new IllegalArgumentException(s"--repeat needs a positive number, got $repeat")
    val s = tpcSuite
    val selected = s.select(queries.asScala.toSeq)
    val spark = session()
    try {
      val manager = spark.sparkContext.getConf.get("spark.shuffle.manager", "sort")
      val name = Option(label).getOrElse(RunCommand.labelOf(manager))
      val file = Option(results).getOrElse(s"tpc-results-${s.name}-sf${TpcData.sfLabel(sf)}-$name.jsonl")
      val tpcData = new TpcData(spark, s, sf, data, rowsPerChunk)
      tpcData.ensure()
      tpcData.register()
      val writer = new ResultsWriter(file, RunHeader.of(spark, s, sf, name), spark.sparkContext.hadoopConfiguration)
      val runner = new QueryRunner(spark, s)
      val progress = new Progress(selected.size, s"${s.name} $name")
      val runs = try selected.zipWithIndex.flatMap { case (q, i) =>
        val rs = (1 to repeat).map { n => val r = runner.run(q, n); writer.append(r); r }
        val summary = QuerySummary(q, rs)
        progress.done(i + 1, q, summary.error.map(e => s"FAILED: $e").getOrElse(f"median ${summary.seconds}%.2f s"))
        rs
      } finally { writer.close(); runner.close() }
      val summaries = QuerySummary.of(runs)
      val lines = summaries.map { q =>
        Seq(q.query, if (q.failed) "failed" else f"${q.seconds}%.2f", f"${q.firstSeconds}%.2f",
          f"${q.shuffleReadBytes / 1048576.0}%.1f", f"${q.fetchWaitSec}%.2f", f"${q.taskCpuSec}%.2f", q.rows.toString,
          if (q.failed) "FAILED" else if (q.unrepeatable.isDefined) "not repeatable" else "ok")
      }
      println(s"tpc-bench ${s.name} sf ${TpcData.sfLabel(sf)}, shuffle $name ($manager), ${selected.size} queries x $repeat, Spark $SPARK_VERSION")
      MarkdownTable.format(Seq("query", "median s", "first run s", "MiB shuffled", "fetch wait s", "task CPU s", "rows", "runs"),
        lines).foreach(println)
      println(f"total of medians ${summaries.filterNot(_.failed).map(_.seconds).sum}%.2f s; results: $file")
      summaries.flatMap(q => q.error.map(e => s"${q.query}: $e")).foreach(p => System.err.println(s"tpc-bench: FAILED $p"))
      if (summaries.exists(_.failed)) 1 else 0
    } finally spark.stop()
  }
}

object RunCommand {
  /** built-in for Spark's sort shuffle, otherwise the manager's simple class name. */
  def labelOf(manager: String): String =
    if (Set("sort", "tungsten-sort", "org.apache.spark.shuffle.sort.SortShuffleManager")(manager)) "built-in"
    else manager.split('.').last
}

@Command(name = "compare", description = Array("two results files side by side (the first is the reference); exit 1 if a query failed or differs"))
final class CompareCommand extends Callable[Integer] {
  @Parameters(index = "0", paramLabel = "BASE",
    description = Array("the reference run's results file (e.g. the built-in shuffle): a local path, s3a://..., hdfs://..."))
  var base: String = _

  @Parameters(index = "1", paramLabel = "OTHER", description = Array("the results file measured against it"))
  var other: String = _

  override def call(): Integer = {
    val (b, o) = (ResultsFile.read(base), ResultsFile.read(other))
    if (b.header.suite != o.header.suite || b.header.scaleFactor != o.header.scaleFactor) {
      System.err.println(s"tpc-bench compare: different data: ${b.header.suite} sf ${b.header.scaleFactor} vs " +
        s"${o.header.suite} sf ${o.header.scaleFactor}")
      return 2
    }
    val c = Comparison.of(b.header.label, b.runs, o.header.label, o.runs)
    println(s"${b.header.suite} sf ${b.header.scaleFactor}: ${b.header.label} (${b.header.app}) vs ${o.header.label} (${o.header.app})")
    MarkdownTable.format(c.header, c.cells).foreach(println)
    c.summaryLines.foreach(println)
    val missing = (b.runs.map(_.query).distinct.toSet ++ o.runs.map(_.query)) -- c.queries.map(_._1.query)
    if (missing.nonEmpty) println(s"in one file only: ${TpcSuite.natural(missing.toSeq).mkString(", ")}")
    if (c.problems.nonEmpty) 1 else 0
  }
}

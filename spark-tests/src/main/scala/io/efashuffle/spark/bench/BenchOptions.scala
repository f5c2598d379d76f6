package io.efashuffle.spark.bench

import scala.jdk.CollectionConverters._

import picocli.CommandLine
import picocli.CommandLine.{Command, Parameters, ParameterException, Option => CliOption}

/**
 * spark-bench's options, as {@link BenchCommand} parses them. Sizes are options so that each job
 * can keep its own default (`--mb` means 2 GiB for `shuffle` and 512 MiB for `terasort`); a flag
 * given applies to every job that uses it.
 */
final case class BenchOptions(
    job: String = "shuffle",
    provider: String = "tcp",
    megabytes: Option[Int] = None,
    valueBytes: Option[Int] = None,
    maps: Option[Int] = None,
    reducers: Option[Int] = None,
    pairs: Option[Int] = None,
    salesMillions: Option[Double] = None,
    sqlPartitions: Int = 200,
    repeat: Option[Int] = None,
    executors: Int = 2,
    executorCores: Int = 1,
    executorMemoryMb: Int = 2048,
    native: Boolean = true,
    nativeSource: Option[String] = None,
    nativeBlockBytes: Int = 1 << 20,
    nativeWindow: Int = 16,
    progress: Boolean = true,
    conf: Map[String, String] = Map.empty,
    variants: Seq[(String, String)] = Nil,
    scaleFactor: Double = 1.0,
    queries: Seq[String] = Nil,
    data: Option[String] = None,
    killDuring: Seq[String] = Nil,
    out: String = "target/bench") {

  def mb(default: Int): Int = megabytes.getOrElse(default)
  def mapTasks(default: Int): Int = maps.getOrElse(default)
  def reduceTasks(default: Int): Int = reducers.getOrElse(default)
  def values(default: Int): Int = valueBytes.getOrElse(default)
}

object BenchOptions {
  val PluginPrefix = "spark.shuffle.efa."

  val Jobs: Seq[String] = Seq("shuffle", "wide", "terasort", "groupby", "sql", "fetch", "recovery", "sql-4slots", "scaling")
  /** TPC-DS and TPC-H (tpc-bench's suites), run query by query by [[TpcBench]]; not part of `all`. */
  val TpcJobs: Seq[String] = Seq("tpcds", "tpch")
  /** Each fault of the fault suite, plugin vs built-in ([[FaultTable]]); not part of `all`. */
  val Faults = "faults"

  /** The options from a command line, or a picocli ParameterException naming what is wrong. */
  def parse(args: Array[String]): BenchOptions = {
    val cli = commandLine()
    cli.parseArgs(args: _*)
    cli.getCommand[BenchCommand].options(cli)
  }

  def commandLine(): CommandLine = new CommandLine(new BenchCommand).setCaseInsensitiveEnumValuesAllowed(true)
}

/** spark-bench's command line (picocli, as the tools' are); {@link #options} checks and converts it. */
@Command(name = "spark-bench", mixinStandardHelpOptions = true, sortOptions = false, version = Array("spark-bench 0.1.0"),
  description = Array("Spark jobs on a local cluster of executor JVMs, the EFA plugin against Spark's built-in " +
    "shuffle on the same data: a table on stdout, CSV and PNG chart in --out."))
final class BenchCommand {
  @Parameters(arity = "0..1", paramLabel = "JOB",
    description = Array("shuffle, wide, terasort, groupby, sql, fetch, recovery, sql-4slots, scaling, all, or tpcds, tpch, " +
      "or faults (each fault: what Spark recomputed and whom a FetchFailed named; default: shuffle)"))
  var job: String = "shuffle"

  @CliOption(names = Array("--provider"), paramLabel = "NAME", description = Array("libfabric provider of the plugin: tcp, shm, sockets, efa (default: tcp)"))
  var provider: String = "tcp"

  @CliOption(names = Array("--mb"), paramLabel = "N", description = Array(
    "MiB to shuffle: shuffle 2048, wide 64, terasort 512, fetch 2048, recovery 64, scaling 256 (its sizes: x1, x4, x16)"))
  var megabytes: Integer = _

  @CliOption(names = Array("--value-bytes"), paramLabel = "N", description = Array("shuffle 1000, wide 100, groupby 1000, fetch 1048576"))
  var valueBytes: Integer = _

  @CliOption(names = Array("--maps"), paramLabel = "N", description = Array("map tasks (default 8; wide 40)"))
  var maps: Integer = _

  @CliOption(names = Array("--reducers"), paramLabel = "N", description = Array("reduce tasks (default 8; wide 3000)"))
  var reducers: Integer = _

  @CliOption(names = Array("--pairs"), paramLabel = "N", description = Array("groupby: pairs per mapper (default 131072)"))
  var pairs: Integer = _

  @CliOption(names = Array("--sales"), paramLabel = "M", description = Array("sql: millions of rows in the fact table (default 8)"))
  var salesMillions: java.lang.Double = _

  @CliOption(names = Array("--sql-partitions"), paramLabel = "N",
    description = Array("sql: spark.sql.shuffle.partitions before AQE coalesces (default 200, Spark's)"))
  var sqlPartitions: Int = 200

  @CliOption(names = Array("--repeat"), paramLabel = "N", description = Array("runs per shuffle, median reported and the first apart (default 3)"))
  var repeat: Integer = _

  @CliOption(names = Array("--executors"), paramLabel = "N", description = Array("executor JVMs (default 2)"))
  var executors: Int = 2

  @CliOption(names = Array("--executor-cores"), paramLabel = "N",
    description = Array("task slots per executor (default 1; EFA nodes run 4-16, sharing one receive pool and rail)"))
  var executorCores: Int = 1

  @CliOption(names = Array("--executor-mb"), paramLabel = "N", description = Array("heap per executor (default 2048)"))
  var executorMemoryMb: Int = 2048

  @CliOption(names = Array("--no-native"), description = Array("fetch: skip the native fi_read yardstick"))
  var noNative: Boolean = false

  @CliOption(names = Array("--native-source"), paramLabel = "FILE",
    description = Array("fetch: C source instead of the bundled yardstick (fi_read_yardstick.c)"))
  var nativeSource: String = _

  @CliOption(names = Array("--native-block"), paramLabel = "N", description = Array("fetch: yardstick read size (default 1048576)"))
  var nativeBlockBytes: Int = 1 << 20

  @CliOption(names = Array("--native-window"), paramLabel = "N", description = Array("fetch: yardstick reads in flight (default 16)"))
  var nativeWindow: Int = 16

  @CliOption(names = Array("--conf"), paramLabel = "K=V",
    description = Array("a Spark setting for both shuffles' clusters (spark.shuffle.efa.* affects the plugin only)"))
  var conf: java.util.Map[String, String] = new java.util.LinkedHashMap[String, String]()

  @CliOption(names = Array("--variant"), paramLabel = "K=V",
    description = Array("also run the plugin with this spark.shuffle.efa.* setting, in the same run on the same data " +
      "(repeatable: one more plugin cluster per setting), e.g. spark.shuffle.efa.transport.progress=park"))
  var variants: java.util.List[String] = new java.util.ArrayList[String]()

  @CliOption(names = Array("--sf"), paramLabel = "N", description = Array("tpcds, tpch: scale factor (default 1; 0.01 is tiny)"))
  var scaleFactor: Double = 1.0

  @CliOption(names = Array("--queries"), split = ",", paramLabel = "Q",
    description = Array("tpcds, tpch: queries to run, e.g. q14a,q72 (default: every query of the suite; TPC-DS v2.7.0's as q5a-v2.7)"))
  var queries: java.util.List[String] = new java.util.ArrayList[String]()

  @CliOption(names = Array("--data"), paramLabel = "DIR",
    description = Array("tpcds, tpch: the Parquet data's directory, generated once and reused (default target/tpc-data/SUITE-sfN)"))
  var data: String = _

  @CliOption(names = Array("--kill-executor-during"), split = ",", paramLabel = "Q",
    description = Array("tpcds, tpch: in the first run of each of these queries, on both shuffles, SIGKILL an executor " +
      "once a task has read shuffle data (recovery under a real query; results still compared)"))
  var killDuring: java.util.List[String] = new java.util.ArrayList[String]()

  @CliOption(names = Array("--quiet"), description = Array("no stage progress lines on stderr"))
  var quiet: Boolean = false

  @CliOption(names = Array("--out"), paramLabel = "DIR", description = Array("where CSV and PNG go (default target/bench)"))
  var out: String = "target/bench"

  /** Checks values picocli cannot (positive sizes, known job, spark.* keys) and builds the options. */
  def options(cli: CommandLine): BenchOptions = {
    def bad(msg: String) = new ParameterException(cli, msg)
    def positive(flag: String, v: Integer): Option[Int] = Option(v).map(_.intValue).map { n =>
      if (n <= 0) throw bad(s"$flag needs a positive integer, got $n")
      n
    }
    def positiveInt(flag: String, v: Int): Int = positive(flag, Integer.valueOf(v)).get
    if (job != "all" && job != BenchOptions.Faults && !BenchOptions.Jobs.contains(job) &&
      !BenchOptions.TpcJobs.contains(job)) throw bad(s"unknown job '$job'")
    if (!(scaleFactor > 0)) throw bad(s"--sf needs a positive scale factor, got $scaleFactor")
    val tpcQueries = queries.asScala.toSeq.map(_.trim).filter(_.nonEmpty)
    if (BenchOptions.TpcJobs.contains(job)) {
      val suite = io.efashuffle.tpc.TpcSuite.named(job)
      try suite.select(tpcQueries ++ killDuring.asScala) catch { case e: IllegalArgumentException => throw bad(e.getMessage) }
      killDuring.asScala.find(q => tpcQueries.nonEmpty && !tpcQueries.contains(q)).foreach { q =>
        throw bad(s"--kill-executor-during $q: $q is not among --queries")
      }
    }
    val sales = Option(salesMillions).map(_.doubleValue)
    if (sales.exists(_ <= 0)) throw bad(s"--sales needs a positive number, got ${sales.get}")
    val settings = conf.asScala.toMap
    settings.find { case (k, v) => !k.startsWith("spark.") || v.isEmpty }.foreach { case (k, v) =>
      throw bad(s"--conf needs spark.KEY=VALUE, got '$k=$v'")
    }
    val variantSettings = variants.asScala.toSeq.map { kv =>
      kv.split("=", 2) match {
        case Array(k, v) if k.startsWith(BenchOptions.PluginPrefix) && k.length > BenchOptions.PluginPrefix.length &&
            v.nonEmpty => k -> v
        case _ => throw bad(s"--variant needs ${BenchOptions.PluginPrefix}KEY=VALUE, got '$kv'")
      }
    }
    BenchOptions(job = job, provider = provider, megabytes = positive("--mb", megabytes),
      valueBytes = positive("--value-bytes", valueBytes), maps = positive("--maps", maps),
      reducers = positive("--reducers", reducers), pairs = positive("--pairs", pairs), salesMillions = sales,
      sqlPartitions = positiveInt("--sql-partitions", sqlPartitions), repeat = positive("--repeat", repeat),
      executors = positiveInt("--executors", executors), executorCores = positiveInt("--executor-cores", executorCores),
      executorMemoryMb = positiveInt("--executor-mb", executorMemoryMb),
      native = !noNative, nativeSource = Option(nativeSource),
      nativeBlockBytes = positiveInt("--native-block", nativeBlockBytes),
      nativeWindow = positiveInt("--native-window", nativeWindow), progress = !quiet, conf = settings,
      variants = variantSettings, scaleFactor = scaleFactor, queries = tpcQueries, data = Option(data),
      killDuring = killDuring.asScala.toSeq, out = out)
  }
}

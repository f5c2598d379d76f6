package io.efashuffle.spark.bench

/**
 * spark-bench's command line. Sizes are options so that each job can keep its own default
 * (`--mb` means 2 GiB for `shuffle` and 512 MiB for `terasort`); a flag given applies to every
 * job that uses it. Parsed by hand: picocli is only in the plugin jar and scopt is not available.
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
    sqlPartitions: Int = 64,
    repeat: Option[Int] = None,
    executors: Int = 2,
    executorMemoryMb: Int = 2048,
    native: Boolean = true,
    nativeSource: Option[String] = None,
    nativeBlockBytes: Int = 1 << 20,
    nativeWindow: Int = 16,
    progress: Boolean = true,
    conf: Map[String, String] = Map.empty,
    out: String = "target/bench") {

  def mb(default: Int): Int = megabytes.getOrElse(default)
  def mapTasks(default: Int): Int = maps.getOrElse(default)
  def reduceTasks(default: Int): Int = reducers.getOrElse(default)
  def values(default: Int): Int = valueBytes.getOrElse(default)
}

object BenchOptions {
  val Jobs: Seq[String] = Seq("shuffle", "wide", "terasort", "groupby", "sql", "fetch", "recovery", "scaling")

  val usage: String =
    """usage: spark-bench [shuffle|wide|terasort|groupby|sql|fetch|recovery|all|scaling] [options]
      |  --provider tcp|shm|sockets|efa   libfabric provider of the plugin (default tcp)
      |  --mb N             MiB to shuffle: shuffle 2048, wide 64, terasort 512, fetch 2048, recovery 64,
      |                     scaling 256 (its sizes: x1, x4, x16)
      |  --value-bytes N    shuffle 1000, wide 100, groupby 1000, fetch 1048576
      |  --maps N           map tasks (default 8; wide 40)  --reducers N   reduce tasks (default 8; wide 3000)
      |  --pairs N          groupby: pairs per mapper (default 131072)
      |  --sales M          sql: millions of rows in the fact table (default 8)
      |  --sql-partitions N sql: spark.sql.shuffle.partitions before AQE coalesces (default 64)
      |  --repeat N         runs per shuffle, median reported and the first apart (default 3)
      |  --executors N      executor JVMs (default 2)  --executor-mb N  heap per executor (default 2048)
      |  --no-native        fetch: skip the native fi_read yardstick
      |  --native-source F  fetch: C source instead of the bundled yardstick (fi_read_yardstick.c)
      |  --native-block N   --native-window N   fetch: yardstick read size (1048576) and reads in flight (16)
      |  --conf K=V         a Spark setting for both shuffles' clusters (spark.shuffle.efa.* affects the plugin only)
      |  --quiet            no stage progress lines on stderr
      |  --out DIR          where CSV and PNG go (default target/bench)""".stripMargin

  final class UsageError(msg: String) extends IllegalArgumentException(msg)

  def parse(args: List[String]): BenchOptions = args match {
    case job :: rest if !job.startsWith("-") =>
      if (job != "all" && !Jobs.contains(job)) throw new UsageError(s"unknown job '$job'")
      options(rest, BenchOptions(job = job))
    case _ => options(args, BenchOptions())
  }

  private def int(flag: String, v: String): Int =
    v.toIntOption.filter(_ > 0).getOrElse(throw new UsageError(s"$flag needs a positive integer, got '$v'"))

  @scala.annotation.tailrec
  private def options(args: List[String], o: BenchOptions): BenchOptions = args match {
    case Nil => o
    case "--provider" :: v :: rest => options(rest, o.copy(provider = v))
    case "--mb" :: v :: rest => options(rest, o.copy(megabytes = Some(int("--mb", v))))
    case "--value-bytes" :: v :: rest => options(rest, o.copy(valueBytes = Some(int("--value-bytes", v))))
    case "--maps" :: v :: rest => options(rest, o.copy(maps = Some(int("--maps", v))))
    case "--reducers" :: v :: rest => options(rest, o.copy(reducers = Some(int("--reducers", v))))
    case "--pairs" :: v :: rest => options(rest, o.copy(pairs = Some(int("--pairs", v))))
    case "--sales" :: v :: rest =>
      options(rest, o.copy(salesMillions = Some(v.toDoubleOption.filter(_ > 0)
        .getOrElse(throw new UsageError(s"--sales needs a positive number, got '$v'")))))
    case "--sql-partitions" :: v :: rest => options(rest, o.copy(sqlPartitions = int("--sql-partitions", v)))
    case "--repeat" :: v :: rest => options(rest, o.copy(repeat = Some(int("--repeat", v))))
    case "--executors" :: v :: rest => options(rest, o.copy(executors = int("--executors", v)))
    case "--executor-mb" :: v :: rest => options(rest, o.copy(executorMemoryMb = int("--executor-mb", v)))
    case "--no-native" :: rest => options(rest, o.copy(native = false))
    case "--native-source" :: v :: rest => options(rest, o.copy(nativeSource = Some(v)))
    case "--native-block" :: v :: rest => options(rest, o.copy(nativeBlockBytes = int("--native-block", v)))
    case "--native-window" :: v :: rest => options(rest, o.copy(nativeWindow = int("--native-window", v)))
    case "--conf" :: v :: rest => v.split("=", 2) match {
      case Array(k, value) if k.startsWith("spark.") && value.nonEmpty => options(rest, o.copy(conf = o.conf + (k -> value)))
      case _ => throw new UsageError(s"--conf needs spark.KEY=VALUE, got '$v'")
    }
    case "--quiet" :: rest => options(rest, o.copy(progress = false))
    case "--out" :: v :: rest => options(rest, o.copy(out = v))
    case other :: _ => throw new UsageError(s"unknown option $other")
  }
}

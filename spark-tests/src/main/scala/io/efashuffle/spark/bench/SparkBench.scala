package io.efashuffle.spark.bench

import java.io.File

import scala.util.control.NonFatal

import org.apache.spark.sql.SparkSession

import io.efashuffle.spark.{ClusterConf, ExecutorProbes}

/**
 * `bin/efa-shuffle spark-bench [job] [options]`: each job on a local multi-executor cluster with
 * Spark's built-in shuffle (through Netty) and then with the EFA shuffle plugin, on the same data;
 * the two results must be equal and each job validates its own output. Prints a table, writes
 * a CSV and a PNG chart under `--out`, exits 1 if anything did not validate.
 */
object SparkBench {
  val Builtin = "built-in"
  val Plugin = "efa-plugin"

  /**
   * One job on one shuffle: medians over the runs, the first run apart (it pays for what the
   * executors do once: JIT, connections, first touches of memory), the last run's result, and the
   * untimed warm-up shuffle of the cluster's fresh executors (`coldStartSec`, on the cluster's first job only).
   */
  final case class Side(shuffle: String, transport: String, m: Measurement, parts: Seq[(String, Measurement)],
      extra: Map[String, Double], result: Seq[String], problems: Seq[String], failed: Boolean,
      notes: Seq[String] = Nil, first: Option[Measurement] = None, coldStartSec: Option[Double] = None)

  /** `variants`: the plugin again with one `--variant` setting each, in the same run. */
  final case class JobReport(job: BenchJob, builtin: Side, plugin: Side, nativeGbps: Option[Double],
      variants: Seq[Side] = Nil) {
    def pluginSides: Seq[Side] = plugin +: variants

    /** What is wrong with this job's runs: own validation, failures, results that differ. */
    def problems: Seq[String] =
      (builtin +: pluginSides).flatMap(s => s.problems.map(p => s"${job.name}/${s.shuffle}: $p")) ++
        pluginSides.filterNot(p => builtin.failed || p.failed || builtin.result == p.result).map { p =>
          s"${job.name}: results differ between shuffles: " + firstDifference(builtin.result, p.result, p.shuffle)
        }

    def rows: Seq[Row] = (builtin +: pluginSides).flatMap { s =>
      val gbps = s.extra.get("gbps")
      Row(job.name, s.shuffle, s.transport, s.m, s.failed, gbps, gbps.flatMap(_ => nativeGbps), s.first) +:
        s.parts.map { case (part, m) => Row(part, s.shuffle, s.transport, m, s.failed) }
    }
  }

  final case class Report(options: BenchOptions, jobs: Seq[JobReport], csv: File, chart: File) {
    def problems: Seq[String] = jobs.flatMap(_.problems)
    def ok: Boolean = problems.isEmpty
  }

  def main(args: Array[String]): Unit = {
    val cli = BenchOptions.commandLine()
    val o = try {
      cli.parseArgs(args: _*)
      if (cli.isUsageHelpRequested) { cli.usage(System.out); sys.exit(0) }
      if (cli.isVersionHelpRequested) { cli.printVersionHelp(System.out); sys.exit(0) }
      cli.getCommand[BenchCommand].options(cli)
    } catch {
      case e: picocli.CommandLine.ParameterException =>
        System.err.println(s"spark-bench: ${e.getMessage}")
        e.getCommandLine.usage(System.err)
        sys.exit(2)
    }
    if (o.job == BenchOptions.Faults) {
      val problems = try FaultTable.run(o) catch {
        case NonFatal(e) => Seq(s"faults: $e")
      }
      problems.foreach(p => System.err.println(s"spark-bench: FAILED $p"))
      sys.exit(if (problems.isEmpty) 0 else 1)
    }
    if (BenchOptions.TpcJobs.contains(o.job)) {
      val tpc = try TpcBench.run(o) catch {
        case NonFatal(e) =>
          System.err.println(s"spark-bench: FAILED ${o.job}: $e")
          sys.exit(1)
      }
      tpc.problems.foreach(p => System.err.println(s"spark-bench: FAILED $p"))
      sys.exit(if (tpc.ok) 0 else 1)
    }
    val report = run(o)
    if (!report.ok) {
      report.problems.foreach(p => System.err.println(s"spark-bench: FAILED $p"))
      sys.exit(1)
    }
    sys.exit(0)
  }

  /** Runs the selected jobs, prints the table, writes the CSV and the chart. */
  def run(o: BenchOptions): Report = {
    // Starting a cluster costs ~10 s of executor JVM start-up here, so consecutive jobs with the
    // same cluster settings share one cluster per shuffle.
    val groups = BenchJob.named(o.job).foldLeft(List.empty[List[BenchJob]]) {
      case (g :: rest, job) if g.head.clusterSettings(o) == job.clusterSettings(o) => (g :+ job) :: rest
      case (acc, job) => List(job) :: acc
    }.reverse
    val jobs = groups.flatMap { group =>
      val builtin = runCluster(group, o, Builtin)
      val plugin = runCluster(group, o, Plugin)
      val variants = o.variants.map(v => runCluster(group, o, variantLabel(v), Map(v)))
      group.indices.map(i => JobReport(group(i), builtin(i), plugin(i), group(i).afterRuns(o), variants.map(_(i))))
    }
    val rows = jobs.flatMap(_.rows)
    val caption = s"spark-bench ${o.job}: ${ResultTable.machine(o)}"
    val sizes = jobs.map(j => s"${j.job.name}: ${j.job.describe(o)}, ${repeat(j.job, o)} run(s) per shuffle, median")
    val lines = rows.map(ResultTable.cells)
    val dir = new File(o.out)
    if (o.job == ShuffleJob.name) printShuffleTable(o, jobs.head, caption, sizes.head, dir)
    else {
      println(caption)
      sizes.foreach(println)
      ResultTable.format(ResultTable.Header, lines).foreach(println)
    }
    val csv = ResultTable.writeCsv(new File(dir, s"spark-bench-${o.job}.csv"), ResultTable.Header, lines)
    val chart = BenchChart.write(rows, caption +: sizes, new File(dir, s"spark-bench-${o.job}.png"))
    val report = Report(o, jobs, csv, chart)
    jobs.filter(j => !j.plugin.failed && j.plugin.m.fabricBytes == 0).foreach { j =>
      println(s"note: ${j.job.name}: the plugin read nothing over the fabric (fell back to the built-in path? " +
        "see the executors' logs under spark-tests/target/spark-home/work)")
    }
    jobs.filter(j => j.builtin.coldStartSec.isDefined && j.plugin.coldStartSec.isDefined).foreach { j =>
      val (b, p) = (j.builtin.coldStartSec.get, j.plugin.coldStartSec.get)
      println(f"cold start (the first shuffle on the fresh executors of ${j.job.name}'s cluster, untimed above): " +
        f"built-in $b%.2f s, plugin $p%.2f s (plugin speed ${b / math.max(0.01, p)}%.2fx built-in)")
    }
    jobs.filter(j => !j.builtin.failed && !j.plugin.failed && j.plugin.extra.contains("recoverySec")).foreach { j =>
      val (b, p) = (j.builtin.extra("recoverySec"), j.plugin.extra("recoverySec"))
      println(f"${j.job.name}: from a serving executor's death to the job's end: built-in $b%.1f s, plugin $p%.1f s " +
        f"(plugin ${p / math.max(0.01, b)}%.2fx built-in; medians)")
    }
    jobs.filter(j => !j.builtin.failed && j.plugin.extra.contains("serverCpuSecPerGB")).foreach { j =>
      def f(s: Side, k: String) = s.extra(k)
      val plugins = j.pluginSides.filterNot(_.failed).map { p =>
        f"${p.shuffle}: tasks ${f(p, "taskCpuSecPerGB")}%.3f, efa-progress threads (own reads and serving) " +
          f"${f(p, "progressCpuSecPerGB")}%.3f, ${f(p, "gbps")}%.3f GB/s"
      }
      println(f"${j.job.name}: executor CPU s per GB read in the reduce stage (medians): built-in: tasks " +
        f"${f(j.builtin, "taskCpuSecPerGB")}%.3f, Netty server threads ${f(j.builtin, "serverCpuSecPerGB")}%.3f, " +
        f"${f(j.builtin, "gbps")}%.3f GB/s; " + plugins.mkString("; "))
    }
    jobs.filter(j => !j.builtin.failed && j.builtin.extra.contains("servingCpuSecPerGB")).foreach { j =>
      val sides = (j.builtin +: j.pluginSides).filter(s => !s.failed && s.extra.contains("servingCpuSecPerGB"))
      def role(key: String) = sides.map { s =>
        f"${s.shuffle} ${s.extra(key)}%.3f" + (if (s eq j.builtin) "" else
          f" (${s.extra(key) / math.max(1e-9, j.builtin.extra(key))}%.2fx built-in)")
      }.mkString(", ")
      println(s"${j.job.name} roles (every map on one executor, every reducer on the other; whole-process CPU s " +
        s"per GB read, medians): serving executor: ${role("servingCpuSecPerGB")}; reading executor: " +
        role("readingCpuSecPerGB"))
    }
    if (report.ok) println(s"results identical between shuffles and valid (${jobs.map(_.job.name).mkString(", ")})")
    println(s"written: ${csv.getPath}")
    println(s"chart: ${chart.getPath}")
    report
  }

  private def repeat(job: BenchJob, o: BenchOptions): Int = o.repeat.getOrElse(job.defaultRepeat)

  /** A `--variant`'s shuffle label: `efa-plugin transport.progress=park`. */
  def variantLabel(setting: (String, String)): String =
    s"$Plugin ${setting._1.stripPrefix(BenchOptions.PluginPrefix)}=${setting._2}"

  /** Runs `jobs` one after another on one cluster with the given shuffle (`extra`: a variant's setting); a Side per job. */
  private def runCluster(jobs: Seq[BenchJob], o: BenchOptions, shuffle: String,
      extra: Map[String, String] = Map.empty): Seq[Side] = {
    val app = s"spark-bench-${jobs.map(_.name).mkString("-")}-$shuffle".replaceAll("[^A-Za-z0-9._-]", "_")
    // Both sides through Netty between executors, so the built-in side's fetch is measured (see throughNetty).
    val base = ClusterConf.throughNetty(
      if (shuffle == Builtin) ClusterConf.builtin(app, o.executors, o.executorMemoryMb, o.executorCores)
      else ClusterConf.plugin(app, o.provider, o.executors, o.executorMemoryMb, o.executorCores).set("spark.shuffle.efa.buffer.budget",
        s"${math.max(256, jobs.map(_.shuffleMiB(o)).max / o.executors + 256)}m"))
    val conf = (jobs.head.clusterSettings(o) ++ o.conf ++ extra).foldLeft(base) { case (c, (k, v)) => c.set(k, v) }
    val transport = if (shuffle == Builtin) "netty" else o.provider
    def failed(e: Throwable) = Side(shuffle, transport, Measurement.Zero, Nil, Map.empty, Nil, Seq(s"failed: $e"),
      failed = true)
    val spark = try SparkSession.builder().config(conf).getOrCreate() catch {
      case NonFatal(e) =>
        System.err.println(s"[$app] the cluster did not start:")
        e.printStackTrace()
        return jobs.map(_ => failed(e))
    }
    try {
      val coldStart = try warmUp(spark, o.executors, s"${jobs.head.name}/$shuffle") catch {
        case NonFatal(e) =>
          System.err.println(s"[$app] the warm-up shuffle failed:")
          e.printStackTrace()
          return jobs.map(_ => failed(e))
      }
      jobs.zipWithIndex.map { case (job, i) =>
        val label = s"${job.name}/$shuffle"
        val progress = if (o.progress) Some(new StageProgress(label)) else None
        progress.foreach(spark.sparkContext.addSparkListener)
        val ctx = new BenchContext(spark, o, job.name, shuffle)
        try runJob(job, ctx, transport).copy(coldStartSec = if (i == 0) Some(coldStart) else None) catch {
          case NonFatal(e) =>
            System.err.println(s"[$label] failed:")
            e.printStackTrace()
            failed(e)
        } finally {
          ctx.close()
          progress.foreach { p => p.close(); spark.sparkContext.removeSparkListener(p) }
        }
      }
    } finally spark.stop()
  }

  private def runJob(job: BenchJob, ctx: BenchContext, transport: String): Side = {
    val n = repeat(job, ctx.o)
    val runs = (1 to n).map { i =>
      val r = job.run(ctx)
      ctx.log(f"run $i/$n: job ${r.measurement.jobSec}%.2f s, map ${r.measurement.mapSec}%.2f s, " +
        f"reduce ${r.measurement.reduceSec}%.2f s" + (if (r.problems.isEmpty) "" else s"; INVALID: ${r.problems.mkString("; ")}"))
      r
    }
    val parts = runs.head.parts.map(_._1).map(p => p -> Measurement.median(runs.flatMap(_.parts.toMap.get(p))))
    val extra = runs.head.extra.keys.map(k => k -> runs.map(_.extra(k)).sorted.apply(n / 2)).toMap
    Side(ctx.shuffle, transport, Measurement.median(runs.map(_.measurement)), parts, extra, runs.last.result,
      runs.flatMap(_.problems).distinct, failed = false, notes = runs.last.notes, first = Some(runs.head.measurement))
  }

  /**
   * Not in the jobs' figures: waits for every executor to register (their JVMs start while the
   * driver goes on) and runs one small shuffle, the first on fresh executors: its time is the cold
   * start, returned. With the plugin its tasks do not wait for the fabric (the built-in path until
   * it has started), so it then waits for every executor's start to end, and no job's first stage
   * pays for start-up.
   */
  private[bench] def warmUp(spark: SparkSession, executors: Int, label: String): Double = {
    val sc = spark.sparkContext
    val deadline = System.nanoTime() + 120L * 1000 * 1000 * 1000
    while (sc.statusTracker.getExecutorInfos.length < executors + 1 && System.nanoTime() < deadline) Thread.sleep(100)
    val t0 = System.nanoTime()
    sc.parallelize(0 until 20000, 4 * executors).map(i => (i % 1000, i.toLong)).reduceByKey(_ + _, 2 * executors)
      .collect()
    val sec = (System.nanoTime() - t0) / 1e9
    System.err.println(f"[$label] $executors executors up; warm-up shuffle $sec%.1f s")
    if (sc.getConf.get("spark.shuffle.manager", "") == ClusterConf.PluginManager &&
        !ExecutorProbes.awaitFabricStarts(sc, executors)) {
      System.err.println(s"[$label] the executors' fabric starts did not end in 60 s")
    }
    sec
  }

  /** The shuffle job's original output: its table, the ratio line and spark-bench.csv. */
  private def printShuffleTable(o: BenchOptions, j: JobReport, caption: String, sizes: String, dir: File): Unit = {
    println(s"$caption\n$sizes")
    val lines = j.rows.map(r => ResultTable.shuffleCells(r,
      Seq(j.builtin, j.plugin).find(_.shuffle == r.shuffle).flatMap(_.extra.get("reduceCpuSec")).getOrElse(0.0)))
    ResultTable.format(ResultTable.ShuffleHeader, lines).foreach(println)
    val (b, p) = (j.builtin, j.plugin)
    if (!b.failed && !p.failed) {
      println(f"reduce stage: plugin is ${b.m.reduceSec / p.m.reduceSec}%.2fx built-in; executor CPU in reduce: " +
        f"${p.extra("reduceCpuSec") / math.max(0.01, b.extra("reduceCpuSec"))}%.2fx built-in; " +
        s"results ${if (b.result == p.result) "identical" else "DIFFER"} (${p.result.mkString})")
    }
    println(s"written: ${ResultTable.writeCsv(new File(dir, "spark-bench.csv"), ResultTable.ShuffleHeader, lines).getPath}")
  }

  private def firstDifference(a: Seq[String], b: Seq[String], plugin: String): String =
    a.zipAll(b, "(none)", "(none)").find { case (x, y) => x != y }
      .map { case (x, y) => s"built-in: $x; $plugin: $y" }.getOrElse("")
}

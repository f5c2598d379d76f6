package io.efashuffle.spark.bench

import java.nio.file.{Files, Path, Paths}

import scala.jdk.CollectionConverters._
import scala.util.Try

/**
 * CPU seconds (user + system) of an application's executor JVMs, split by what the threads do:
 * `tasks` runs Spark tasks (map writes, reduce reads, deserialization); `server` is Spark's Netty
 * `shuffle-server` threads, which serve the built-in shuffle's blocks; `progress` is the plugin's
 * `efa-progress` threads, which post and reap the executor's own reads (on shm the read's copy
 * runs there) and, where the provider needs it (tcp), serve peers' reads, plus the provider
 * threads they start (sockets), which inherit their name; `jvm` is the collectors and compilers.
 */
final case class ExecutorCpu(total: Double, tasks: Double, server: Double, progress: Double, jvm: Double) {
  def other: Double = total - tasks - server - progress - jvm
  def +(c: ExecutorCpu): ExecutorCpu =
    ExecutorCpu(total + c.total, tasks + c.tasks, server + c.server, progress + c.progress, jvm + c.jvm)
  def -(c: ExecutorCpu): ExecutorCpu =
    ExecutorCpu(total - c.total, tasks - c.tasks, server - c.server, progress - c.progress, jvm - c.jvm)
}

object ExecutorCpu {
  val Zero: ExecutorCpu = ExecutorCpu(0, 0, 0, 0, 0)
  /** For runs where executors died: their CPU went with them. */
  val Unknown: ExecutorCpu = ExecutorCpu(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN)

  private val TicksPerSecond = 100.0 // USER_HZ on Linux

  /** Thread name prefixes (as `comm` shows them: the first 15 characters) per role. */
  private val TaskThreads = Seq("Executor task")
  private val ServerThreads = Seq("shuffle-server")
  private val ProgressThreads = Seq("efa-progress")
  private val JvmThreads = Seq("GC ", "G1 ", "C1 ", "C2 ", "VM Thread", "VM Periodic")

  /** The application's executor processes (CoarseGrainedExecutorBackend), from /proc. */
  def of(appId: String): ExecutorCpu = byExecutor(appId).values.foldLeft(Zero)(_ + _)

  /** Each executor process of the application by its executor id. */
  def byExecutor(appId: String): Map[String, ExecutorCpu] = processes(appId).map { case (id, p) => id -> process(p) }

  /** The application's executor processes' /proc folders by executor id (`--executor-id` on their command lines). */
  def processes(appId: String): Map[String, Path] =
    Files.list(Paths.get("/proc")).iterator().asScala
      .filter(_.getFileName.toString.forall(_.isDigit))
      .flatMap { p =>
        Try(new String(Files.readAllBytes(p.resolve("cmdline"))).split('\u0000').toSeq).toOption
          .filter(args => args.exists(_.contains("CoarseGrainedExecutorBackend")) && args.contains(appId))
          .flatMap(args => args.sliding(2).collectFirst { case Seq("--executor-id", id) => id })
          .map(_ -> p)
      }.toMap

  private def process(pid: Path): ExecutorCpu = {
    val total = seconds(pid.resolve("stat")).getOrElse(0.0)
    val threads = Try(Files.list(pid.resolve("task")).iterator().asScala.toList).getOrElse(Nil).flatMap { t =>
      for (name <- Try(Files.readString(t.resolve("comm")).trim).toOption;
           s <- onCpuSeconds(t).orElse(seconds(t.resolve("stat"))))
        yield (name, s)
    }
    def sum(prefixes: Seq[String]) = threads.collect { case (n, s) if prefixes.exists(n.startsWith) => s }.sum
    ExecutorCpu(total, sum(TaskThreads), sum(ServerThreads), sum(ProgressThreads), sum(JvmThreads))
  }

  /**
   * A thread's time on CPU from `schedstat`, in nanoseconds: `stat` counts in 10 ms ticks, too
   * coarse for a role that works a few milliseconds in a small job. None where the kernel lacks it.
   */
  private def onCpuSeconds(thread: Path): Option[Double] =
    Try(Files.readString(thread.resolve("schedstat")).trim.split(" ")(0).toLong / 1e9).toOption

  /** utime + stime of a process or thread `stat` file; None when it has gone. */
  private def seconds(stat: Path): Option[Double] = Try {
    val s = Files.readString(stat)
    val f = s.substring(s.lastIndexOf(')') + 2).split(" ")
    (f(11).toLong + f(12).toLong) / TicksPerSecond
  }.toOption
}

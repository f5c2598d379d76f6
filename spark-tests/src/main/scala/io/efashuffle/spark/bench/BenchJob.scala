package io.efashuffle.spark.bench

import org.apache.spark.{SparkContext, SparkInternals}
import org.apache.spark.rdd.RDD
import org.apache.spark.scheduler.{SparkListener, SparkListenerStageCompleted, SparkListenerTaskEnd}
import org.apache.spark.shuffle.efa.EfaShuffleDriverComponents
import org.apache.spark.shuffle.efa.registry.ShuffleCounter
import org.apache.spark.sql.SparkSession

/**
 * One benchmark job. SparkBench runs it on a cluster per shuffle (built-in, then plugin; jobs with
 * the same cluster settings one after another on the same cluster), `repeat` times each, and
 * compares the `result`s of the two shuffles.
 */
trait BenchJob {
  def name: String
  def defaultRepeat: Int = 3

  /** Roughly how many MiB one run shuffles; sizes the plugin's registered budget. */
  def shuffleMiB(o: BenchOptions): Long

  /** Cluster settings this job needs on both shuffles; jobs with equal settings share a cluster. */
  def clusterSettings(o: BenchOptions): Map[String, String] = Map.empty

  /** One run: the timed part goes through `ctx.measure`, validation outside it. */
  def run(ctx: BenchContext): JobOutcome

  /** After both shuffles, with no cluster running (the fetch job's native yardstick). */
  def afterRuns(o: BenchOptions): Option[Double] = None

  /** A line describing the run's sizes, for the table caption. */
  def describe(o: BenchOptions): String
}

object BenchJob {
  /** The SQL job again on executors with 4 task slots each, the last row set of `all`. */
  val SqlFourSlots: BenchJob = new WithSlots(SqlJob, 4)

  def all: Seq[BenchJob] = Seq(ShuffleJob, WideJob, TeraSortJob, GroupByJob, SqlJob, FetchJob, RecoveryJob, SqlFourSlots)
  def named(job: String): Seq[BenchJob] = if (job == "all") all else (all :+ ScalingJob).filter(_.name == job)
}

/**
 * A job on executors with `slots` task slots each, whatever `--executor-cores` says: as on EFA
 * nodes, that many reduce tasks share one receive pool, one progress thread and one budget.
 * Its name (and its parts') says so, e.g. `sql-4slots`.
 */
final class WithSlots(inner: BenchJob, slots: Int) extends BenchJob {
  val name = s"${inner.name}-${slots}slots"
  override def defaultRepeat: Int = inner.defaultRepeat
  def shuffleMiB(o: BenchOptions): Long = inner.shuffleMiB(o)
  override def clusterSettings(o: BenchOptions): Map[String, String] =
    inner.clusterSettings(o) + ("spark.master" -> s"local-cluster[${o.executors},$slots,${o.executorMemoryMb}]")

  def run(ctx: BenchContext): JobOutcome = {
    val out = inner.run(ctx)
    out.copy(parts = out.parts.map { case (part, m) => part.replaceFirst(s"^${inner.name}\\b", name) -> m })
  }

  override def afterRuns(o: BenchOptions): Option[Double] = inner.afterRuns(o)
  def describe(o: BenchOptions): String = s"${inner.describe(o)}; executors with $slots task slots"
}

/**
 * What a run cost. Map and reduce stage seconds are summed stage wall times (submission to
 * completion, from the listener): "map" = stages that only write shuffle data, "reduce" = stages
 * that read it (SQL stages that read and write count as reduce; concurrent stages both count).
 * Jobs that run the map stage on its own (shuffle, fetch) report the two calls' wall times.
 */
final case class Measurement(jobSec: Double, mapSec: Double, reduceSec: Double, fetchWaitSec: Double,
    cpu: ExecutorCpu, readBytes: Long, writeBytes: Long, fabricBytes: Long) {
  def executorCpuSec: Double = cpu.total
  def +(m: Measurement): Measurement = Measurement(jobSec + m.jobSec, mapSec + m.mapSec, reduceSec + m.reduceSec,
    fetchWaitSec + m.fetchWaitSec, cpu + m.cpu, readBytes + m.readBytes,
    writeBytes + m.writeBytes, fabricBytes + m.fabricBytes)
}

object Measurement {
  val Zero: Measurement = Measurement(0, 0, 0, 0, ExecutorCpu.Zero, 0, 0, 0)

  /** Each timing (and each CPU role) is the median over the runs; the caller reports the first run apart. */
  def median(runs: Seq[Measurement]): Measurement = {
    def m(f: Measurement => Double): Double = { val s = runs.map(f).sorted; s(s.size / 2) }
    runs.head.copy(jobSec = m(_.jobSec), mapSec = m(_.mapSec), reduceSec = m(_.reduceSec),
      fetchWaitSec = m(_.fetchWaitSec), cpu = ExecutorCpu(m(_.cpu.total), m(_.cpu.tasks), m(_.cpu.server), m(_.cpu.progress),
        m(_.cpu.jvm)))
  }
}

/**
 * A run's outcome: `result` must be equal between the shuffles, `problems` are the job's own
 * validation failures (empty = valid), `parts` are sub-rows (the SQL queries), `extra` holds
 * job-specific figures (fetch: GB/s; shuffle: reduce-stage executor CPU), `notes` what else the
 * job observed (sql: what AQE did to each query).
 */
final case class JobOutcome(measurement: Measurement, result: Seq[String], problems: Seq[String] = Nil,
    parts: Seq[(String, Measurement)] = Nil, extra: Map[String, Double] = Map.empty, notes: Seq[String] = Nil)

/** The cluster one job runs on, with the counters `measure` reads. */
final class BenchContext(val spark: SparkSession, val o: BenchOptions, val job: String, val shuffle: String) {
  val sc: SparkContext = spark.sparkContext
  private val stages = new StageMetrics
  sc.addSparkListener(stages)

  def log(msg: String): Unit = System.err.println(s"[$job/$shuffle] $msg")

  /** Runs `body` and returns what it cost on the executors, the fabric and the clock. */
  def measure[T](body: => T): (T, Measurement) = {
    SparkInternals.drain(sc)
    val (s0, f0, c0) = (stages.snapshot, BenchContext.fabricBytes, executorCpu())
    val t0 = System.nanoTime()
    val result = body
    val t1 = System.nanoTime()
    SparkInternals.drain(sc)
    val (s1, f1, c1) = (stages.snapshot, BenchContext.fabricBytes, executorCpu())
    (result, Measurement((t1 - t0) / 1e9, s1.mapSec - s0.mapSec, s1.reduceSec - s0.reduceSec,
      (s1.fetchWaitMs - s0.fetchWaitMs) / 1e3, c1 - c0, s1.readBytes - s0.readBytes,
      s1.writeBytes - s0.writeBytes, f1 - f0))
  }

  /** CPU of this application's executor JVMs so far, by thread role, from /proc. */
  def executorCpu(): ExecutorCpu = ExecutorCpu.of(sc.applicationId)

  /** Stops counting (the cluster may run another job with its own context). */
  def close(): Unit = sc.removeSparkListener(stages)

  /** Drops the shuffle files and registered map outputs of every shuffle in `rdd`'s lineage. */
  def cleanShuffles(rdd: RDD[_]): Unit = {
    SparkInternals.drain(sc)
    SparkInternals.shuffleIds(rdd).foreach(SparkInternals.cleanShuffle(sc, _))
  }
}

object BenchContext {
  def fabricBytes: Long =
    Option(EfaShuffleDriverComponents.activeRegistry()).map(_.stats().get(ShuffleCounter.FABRIC_BYTES)).getOrElse(0L)
}

/** Running totals of the shuffle metrics and stage times (see Measurement for the classes). */
private final class StageMetrics extends SparkListener {
  final case class Totals(mapSec: Double, reduceSec: Double, fetchWaitMs: Long, readBytes: Long, writeBytes: Long)
  private var totals = Totals(0, 0, 0, 0, 0)

  def snapshot: Totals = synchronized(totals)

  override def onTaskEnd(e: SparkListenerTaskEnd): Unit = synchronized {
    Option(e.taskMetrics).foreach { m =>
      val r = m.shuffleReadMetrics
      totals = totals.copy(fetchWaitMs = totals.fetchWaitMs + r.fetchWaitTime,
        readBytes = totals.readBytes + r.remoteBytesRead + r.localBytesRead,
        writeBytes = totals.writeBytes + m.shuffleWriteMetrics.bytesWritten)
    }
  }

  override def onStageCompleted(e: SparkListenerStageCompleted): Unit = synchronized {
    val info = e.stageInfo
    val sec = (for (s <- info.submissionTime; c <- info.completionTime) yield (c - s) / 1e3).getOrElse(0.0)
    // A stage's parents are shuffle map stages, so a stage with parents reads shuffle data.
    if (info.parentIds.nonEmpty) totals = totals.copy(reduceSec = totals.reduceSec + sec)
    else if (SparkInternals.writesShuffle(info)) totals = totals.copy(mapSec = totals.mapSec + sec)
  }
}

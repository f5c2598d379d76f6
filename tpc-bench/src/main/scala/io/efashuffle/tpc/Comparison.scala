package io.efashuffle.tpc

/**
 * Two shuffles' runs of the same queries side by side: `base` is the reference (Spark's built-in
 * shuffle), `other` the one measured against it. A query whose result differs, or that fails on
 * either side, is a problem; one whose reference result is not repeatable by itself is named,
 * since no shuffle can be checked against it.
 */
final case class Comparison(baseLabel: String, otherLabel: String, queries: Seq[(QuerySummary, QuerySummary)]) {
  import Comparison._

  def verdict(b: QuerySummary, o: QuerySummary): Verdict =
    (b.error, o.error) match {
      case (Some(e), _) => Failed(s"$baseLabel failed: $e")
      case (_, Some(e)) => Failed(s"$otherLabel failed: $e")
      case _ =>
        b.unrepeatable match {
          case Some(why) => NotRepeatable(s"$baseLabel's own runs differ ($why)")
          case None =>
            o.runs.iterator.flatMap(r => r.result.flatMap(b.result.get.difference).map(r.run -> _)).nextOption() match {
              case Some((run, why)) => Differs(s"$otherLabel run $run differs from $baseLabel: $why")
              case None => Same
            }
        }
    }

  /** Each query's verdict, in `queries`' order (each compares every run's rows: computed once). */
  lazy val verdicts: Seq[Verdict] = queries.map { case (b, o) => verdict(b, o) }

  def problems: Seq[String] = queries.zip(verdicts).flatMap {
    case ((b, _), Failed(why)) => Some(s"${b.query}: $why")
    case ((b, _), Differs(why)) => Some(s"${b.query}: $why")
    case _ => None
  }

  def notRepeatable: Seq[String] = queries.zip(verdicts).collect { case ((b, _), _: NotRepeatable) => b.query }

  private def measured = queries.filter { case (b, o) => !b.failed && !o.failed }

  /** Geometric mean of base time / other time over the queries both ran (above 1: `other` is faster). */
  def geometricMeanSpeedup: Double = {
    geometricMean(measured.map { case (b, o) => b.seconds / math.max(1e-3, o.seconds) })
  }

  /**
   * Geometric mean over the queries of 1 / (1 - the base's shuffle share): how much faster than
   * `base` a shuffle that cost nothing could make them, by the tasks' own account. None when a
   * query's share was not recorded.
   */
  def zeroCostShuffleSpeedup: Option[Double] = {
    val shares = measured.map(_._1.shuffleShare)
    if (shares.isEmpty || shares.exists(_.isEmpty)) None
    else Some(geometricMean(shares.map(s => 1 / math.max(1e-9, 1 - s.get))))
  }

  def totals: Seq[(String, Double, Double)] = {
    def sum(f: QuerySummary => Double) = (measured.map(q => f(q._1)).sum, measured.map(q => f(q._2)).sum)
    val rows = Seq("seconds (medians)" -> sum(_.seconds), "first runs, seconds" -> sum(_.firstSeconds),
      "fetch wait s" -> sum(_.fetchWaitSec), "task CPU s" -> sum(_.taskCpuSec),
      "MiB shuffled" -> sum(_.shuffleReadBytes / Mi))
    val cpu = if (measured.nonEmpty && measured.forall(q => q._1.executorCpuSec.isDefined && q._2.executorCpuSec.isDefined))
      Seq("executor CPU s" -> sum(_.executorCpuSec.get)) else Nil
    (rows ++ cpu).map { case (k, (b, o)) => (k, b, o) }
  }

  val header: Seq[String] = Seq("query", s"$baseLabel s", s"$otherLabel s", "speed-up", s"first $baseLabel s",
    s"first $otherLabel s", "MiB shuffled", "avg block KiB", s"fetch wait $baseLabel s", s"fetch wait $otherLabel s",
    s"executor CPU $baseLabel s", s"executor CPU $otherLabel s", s"shuffle share of $baseLabel task time",
    "rows", "result")

  def cells: Seq[Seq[String]] = queries.zip(verdicts).map { case ((b, o), v) =>
    if (b.failed || o.failed) Seq(b.query, cellOr(b), cellOr(o)) ++ Seq.fill(header.size - 4)("-") :+ v.label
    else {
      val blockKiB = if (o.shuffleBlocks > 0) o.shuffleReadBytes / o.shuffleBlocks / 1024 else 0.0
      def cpu(s: QuerySummary) = s.executorCpuSec.map(c => f"$c%.2f").getOrElse(f"${s.taskCpuSec}%.2f*")
      Seq(b.query, f"${b.seconds}%.2f", f"${o.seconds}%.2f", f"${b.seconds / math.max(1e-3, o.seconds)}%.2fx",
        f"${b.firstSeconds}%.2f", f"${o.firstSeconds}%.2f", f"${o.shuffleReadBytes / Mi}%.1f", f"$blockKiB%.1f",
        f"${b.fetchWaitSec}%.2f", f"${o.fetchWaitSec}%.2f", cpu(b), cpu(o),
        b.shuffleShare.map(s => f"${100 * s}%.1f%%").getOrElse("-"), b.rows.toString, v.label)
    }
  }

  private def cellOr(s: QuerySummary) = if (s.failed) "failed" else f"${s.seconds}%.2f"

  /** The lines under the table: geometric mean, totals, what did not compare. */
  def summaryLines: Seq[String] = {
    val t = totals.map { case (k, b, o) => f"$k: $baseLabel $b%.2f, $otherLabel $o%.2f ($otherLabel/$baseLabel ${o / math.max(1e-9, b)}%.2fx)" }
    val cpuNote = if (queries.exists { case (b, o) => b.executorCpuSec.isEmpty || o.executorCpuSec.isEmpty })
      Seq("* task CPU only: the executors' processes are not visible from this driver") else Nil
    val ceiling = zeroCostShuffleSpeedup.map(c => f"a shuffle that cost nothing, by $baseLabel's tasks' own time " +
      f"blocked on theirs (fetch wait and shuffle write time over task run time): at most ${c}%.3fx (geometric mean)")
    Seq(f"geometric mean of $baseLabel/$otherLabel time over ${measured.size} queries: ${geometricMeanSpeedup}%.3fx") ++
      ceiling ++ t ++
      cpuNote ++ notRepeatable.map(q => s"$q: NOT REPEATABLE on $baseLabel (its own runs differ), not compared") ++
      problems.map(p => s"FAILED $p")
  }
}

object Comparison {
  private val Mi = 1048576.0

  /** NaN for no values. */
  private def geometricMean(xs: Seq[Double]): Double =
    if (xs.isEmpty) Double.NaN else math.exp(xs.map(math.log).sum / xs.size)

  sealed trait Verdict { def label: String }
  case object Same extends Verdict { val label = "same" }
  final case class Differs(why: String) extends Verdict { val label = "DIFFERS" }
  final case class Failed(why: String) extends Verdict { val label = "FAILED" }
  final case class NotRepeatable(why: String) extends Verdict { val label = "not repeatable" }

  /** The queries both files ran, in `base`'s order. */
  def of(baseLabel: String, base: Seq[QueryRun], otherLabel: String, other: Seq[QueryRun]): Comparison = {
    val o = QuerySummary.of(other).map(s => s.query -> s).toMap
    Comparison(baseLabel, otherLabel, QuerySummary.of(base).flatMap(b => o.get(b.query).map(b -> _)))
  }
}

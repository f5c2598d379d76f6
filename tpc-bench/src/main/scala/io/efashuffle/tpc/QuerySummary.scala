package io.efashuffle.tpc

/**
 * One query's runs on one shuffle: medians over every run (as the project's other benchmarks
 * report them), the first run apart (it pays for the cold file cache and code generation), and
 * whether the runs' results agreed with each other.
 */
final case class QuerySummary(query: String, runs: Seq[QueryRun]) {
  require(runs.nonEmpty, s"no runs of $query")
  private def median(f: QueryRun => Double): Double = { val s = runs.map(f).sorted; s(s.size / 2) }

  def error: Option[String] = runs.flatMap(_.error).headOption
  def failed: Boolean = error.isDefined
  def seconds: Double = median(_.seconds)
  def firstSeconds: Double = runs.head.seconds
  def shuffleReadBytes: Double = median(_.metrics.shuffleReadBytes.toDouble)
  def shuffleBlocks: Double = median(_.metrics.shuffleBlocks.toDouble)
  def fetchWaitSec: Double = median(_.metrics.fetchWaitMs / 1e3)
  def taskCpuSec: Double = median(_.metrics.taskCpuNs / 1e9)
  def executorCpuSec: Option[Double] =
    if (runs.forall(_.executorCpuSec.isDefined)) Some(median(_.executorCpuSec.get)) else None
  /** Median over the runs of [[QueryMetrics.shuffleShare]]; None when a run did not record it. */
  def shuffleShare: Option[Double] =
    if (runs.forall(_.metrics.shuffleShare.isDefined)) Some(median(_.metrics.shuffleShare.get)) else None
  def failedTasks: Long = runs.map(_.metrics.failedTasks).sum
  def result: Option[CanonicalResult] = runs.flatMap(_.result).headOption
  def rows: Int = result.map(_.rows.size).getOrElse(0)

  /** How this shuffle's own runs disagree with its first (a result that is not repeatable), if they do. */
  def unrepeatable: Option[String] = {
    val results = runs.flatMap(r => r.result.map(r.run -> _))
    results.drop(1).iterator.flatMap { case (run, r) =>
      results.head._2.difference(r).map(why => s"run $run differs from run ${results.head._1}: $why")
    }.nextOption()
  }
}

object QuerySummary {
  /** Every query's summary, in the order queries first appear in `runs`. */
  def of(runs: Seq[QueryRun]): Seq[QuerySummary] =
    runs.map(_.query).distinct.map(q => QuerySummary(q, runs.filter(_.query == q)))
}

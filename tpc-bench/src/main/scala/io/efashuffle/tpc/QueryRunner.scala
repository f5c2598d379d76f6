package io.efashuffle.tpc

import scala.util.control.NonFatal

import org.apache.spark.TpcListenerBus
import org.apache.spark.sql.SparkSession

/** Runs a suite's queries one at a time on a session whose tables are registered, and measures each run. */
/** `probe`: running totals the runner reports the growth of for each run (e.g. executor processes' CPU), where they can be seen. */
final class QueryRunner(spark: SparkSession, suite: TpcSuite, probe: () => Map[String, Double] = () => Map.empty) {
  private val sc = spark.sparkContext
  private val totals = new TaskTotals
  sc.addSparkListener(totals)

  /** One run: the result is collected to the driver (the queries' results are small) and made canonical. */
  def run(query: String, run: Int): QueryRun = {
    val text = suite.queryText(query)
    TpcListenerBus.drain(sc)
    val before = totals.snapshot
    val probed = probe()
    sc.setJobGroup(s"${suite.name}-$query-$run", s"${suite.name} $query run $run", interruptOnCancel = true)
    val t0 = System.nanoTime()
    val outcome = try {
      val df = spark.sql(text)
      Right(CanonicalResult.of(df.schema, df.collect().toSeq))
    } catch {
      case NonFatal(e) => Left(s"${e.getClass.getName}: ${Option(e.getMessage).getOrElse("").linesIterator.take(3).mkString(" ")}")
    } finally sc.clearJobGroup()
    val seconds = (System.nanoTime() - t0) / 1e9
    TpcListenerBus.drain(sc)
    val grown = probe().collect { case (k, v) if probed.contains(k) => k -> (v - probed(k)) }
    QueryRun(query, run, seconds, totals.snapshot - before, outcome.toOption, outcome.left.toOption, grown)
  }

  def close(): Unit = sc.removeSparkListener(totals)
}

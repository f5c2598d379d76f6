package io.efashuffle.tpc

import org.apache.spark.sql.Row
import org.apache.spark.sql.types._
import org.scalatest.funsuite.AnyFunSuite

class CanonicalResultSuite extends AnyFunSuite {
  private val schema = StructType(Seq(StructField("k", StringType), StructField("avg", DoubleType),
    StructField("sum", DecimalType(17, 2))))
  private def result(rows: Row*) = CanonicalResult.of(schema, rows)
  private def dec(s: String) = new java.math.BigDecimal(s)

  test("rows compare as a multiset: ties under ORDER BY may come out in either order") {
    val a = result(Row("x", 1.5, dec("2.00")), Row("y", 2.5, dec("3.00")))
    val b = result(Row("y", 2.5, dec("3.00")), Row("x", 1.5, dec("2.00")))
    assert(a.difference(b).isEmpty)
  }

  test("floating cells are equal within the stated relative precision, and differ beyond it") {
    val base = result(Row("x", 1234.5678, dec("1.00")))
    assert(base.difference(result(Row("x", 1234.5678 * (1 + 1e-12), dec("1.00")))).isEmpty)
    assert(base.difference(result(Row("x", 1234.5678 * (1 + 1e-6), dec("1.00")))).exists(_.contains("row 1")))
  }

  test("decimals, strings and nulls are compared exactly") {
    val base = result(Row("x", 1.0, dec("1.00")))
    assert(base.difference(result(Row("x", 1.0, dec("1.01")))).isDefined)
    assert(base.difference(result(Row(null, 1.0, dec("1.00")))).isDefined)
    assert(base.difference(result(Row("x", null, dec("1.00")))).isDefined)
    assert(base.difference(result(Row("x", 1.0, dec("1.00")), Row("x", 1.0, dec("1.00")))).contains("1 rows vs 2"))
  }

  test("a result survives its results-file form") {
    val r = QueryRun("q1", 2, 1.25, QueryMetrics(10, 2, 3, 4, 5, 0, 1000, 2000000), Some(result(Row("a\tb", Double.NaN, null))), None, Map(QueryRun.ExecutorCpuSec -> 0.5))
    assert(QueryRun.fromJson(TpcData.Json.readTree(r.toJson.toString)) == r.copy(result = r.result))
  }

  test("the shuffle's share of task time, and what a shuffle that cost nothing could gain at most") {
    // 150 ms of fetch wait and 50 ms of shuffle write in 1 s of task time: a fifth, so at most 1.25x.
    val m = QueryMetrics(0, 0, 150, 0, 4, 0, 1000, 50000000L)
    assert(math.abs(m.shuffleShare.get - 0.2) < 1e-9)
    assert(QueryMetrics.Zero.shuffleShare.isEmpty, "no task time recorded: unknown, not zero")
    // An old results file (no task time): no ceiling claimed.
    val old = QueryRun.parse("""{"type":"query","query":"q1","run":1,"seconds":1.0,"fetchWaitMs":3}""")
    assert(old.metrics.shuffleShare.isEmpty)
    val none = QueryMetrics(0, 0, 0, 0, 4, 0, 1000, 0)
    def timed(q: String, metrics: QueryMetrics) = QueryRun(q, 1, 1.0, metrics, Some(result(Row("x", 1.0, dec("1")))), None)
    val c = Comparison.of("built-in", Seq(timed("q1", m), timed("q2", none)), "plugin",
      Seq(timed("q1", QueryMetrics.Zero), timed("q2", QueryMetrics.Zero)))
    assert(math.abs(c.zeroCostShuffleSpeedup.get - math.sqrt(1.25)) < 1e-9)
    assert(c.cells.map(_(c.header.indexOf("shuffle share of built-in task time"))) == Seq("20.0%", "0.0%"))
    assert(c.summaryLines.exists(_.contains("at most 1.118x")), c.summaryLines)
  }

  private def run(q: String, n: Int, rows: Row*) = QueryRun(q, n, 1.0, QueryMetrics.Zero, Some(result(rows: _*)), None)

  test("comparison: a differing run fails, a reference that differs from itself is named, a failure fails") {
    val same = Row("x", 1.0, dec("1.00"))
    val other = Row("x", 2.0, dec("1.00"))
    val c = Comparison.of("built-in", Seq(run("q1", 1, same), run("q2", 1, same), run("q2", 2, other),
      run("q3", 1, same), run("q4", 1, same)), "plugin", Seq(run("q1", 1, same), run("q2", 1, same),
      run("q3", 1, same), run("q3", 2, other), QueryRun("q4", 1, 1.0, QueryMetrics.Zero, None, Some("boom"))))
    assert(c.verdict(c.queries(0)._1, c.queries(0)._2) == Comparison.Same)
    assert(c.notRepeatable == Seq("q2"))
    assert(c.problems.size == 2 && c.problems.head.startsWith("q3: plugin run 2 differs") && c.problems(1).contains("boom"),
      c.problems)
  }

  test("the suites list Spark's query files: TPC-DS v1.4 with a/b variants (103) and v2.7, TPC-H (22)") {
    val ds = TpcSuite.Tpcds.defaultQueries
    assert(ds.size == 103 && ds.take(3) == Seq("q1", "q2", "q3") && ds.contains("q14a") && ds.contains("q14b"), ds)
    assert(TpcSuite.Tpcds.allQueries.contains("q5a-v2.7"))
    assert(TpcSuite.Tpch.defaultQueries == (1 to 22).map(i => s"q$i"))
    assert(TpcSuite.Tpch.queryText("q1").toLowerCase.contains("lineitem"))
    val e = intercept[IllegalArgumentException](TpcSuite.Tpch.select(Seq("q1", "q99")))
    assert(e.getMessage.contains("q99") && e.getMessage.contains("known: q1, q2"))
  }
}

package io.efashuffle.spark

import picocli.CommandLine.ParameterException
import org.scalatest.funsuite.AnyFunSuite

import io.efashuffle.spark.bench.BenchOptions

/** spark-bench's command line: what it accepts and what it refuses with a reason (no cluster). */
class BenchOptionsSuite extends AnyFunSuite {
  test("a job, sizes and Spark settings become options; unset sizes keep each job's default") {
    val o = BenchOptions.parse(Array("sql", "--provider", "shm", "--sql-partitions", "200", "--sales", "0.5",
      "--conf", "spark.sql.adaptive.enabled=false", "--conf", "spark.shuffle.efa.transport.fabric=auto", "--quiet"))
    assert(o.job == "sql" && o.provider == "shm" && o.sqlPartitions == 200 && o.salesMillions.contains(0.5))
    assert(o.conf == Map("spark.sql.adaptive.enabled" -> "false", "spark.shuffle.efa.transport.fabric" -> "auto"))
    assert(!o.progress && o.megabytes.isEmpty && o.mb(2048) == 2048 && o.repeat.isEmpty)
    val d = BenchOptions.parse(Array.empty)
    assert(d.job == "shuffle" && d.provider == "tcp" && d.native && d.executors == 2 && d.out == "target/bench")
    assert(d.executorCores == 1 && BenchOptions.parse(Array("sql", "--executor-cores", "4")).executorCores == 4)
    assert(BenchOptions.parse(Array("faults", "--provider", "shm")).job == BenchOptions.Faults)
    assert(d.sqlPartitions == 200 && d.variants.isEmpty, "Spark's default shuffle partitions; no variants")
  }

  test("--variant adds plugin settings run in the same invocation, in the order given") {
    val o = BenchOptions.parse(Array("fetch", "--variant", "spark.shuffle.efa.transport.progress=park",
      "--variant", "spark.shuffle.efa.transport.spinIterations=200"))
    assert(o.variants == Seq("spark.shuffle.efa.transport.progress" -> "park",
      "spark.shuffle.efa.transport.spinIterations" -> "200"))
    assert(io.efashuffle.spark.bench.SparkBench.variantLabel(o.variants.head) == "efa-plugin transport.progress=park")
  }

  test("bad input is refused with what is wrong") {
    def refused(args: String*): String = intercept[ParameterException](BenchOptions.parse(args.toArray)).getMessage
    assert(refused("--mb", "0").contains("--mb needs a positive integer"))
    assert(refused("--mb", "lots").contains("--mb"))
    assert(refused("sorting").contains("unknown job 'sorting'"))
    assert(refused("--conf", "shuffle.partitions=4").contains("spark.KEY=VALUE"))
    assert(refused("--sales", "-1").contains("--sales"))
    assert(refused("--frobnicate").contains("--frobnicate"))
    assert(refused("--executor-cores", "0").contains("--executor-cores"))
    assert(refused("--variant", "spark.sql.shuffle.partitions=4").contains("spark.shuffle.efa.KEY=VALUE"),
      "a variant changes the plugin only")
    assert(refused("--variant", "spark.shuffle.efa.transport.progress").contains("spark.shuffle.efa.KEY=VALUE"))
  }

  test("tpcds and tpch: scale factor, queries, data and kills; unknown queries and bad sizes refused") {
    val o = BenchOptions.parse(Array("tpcds", "--sf", "0.5", "--queries", "q14a,q72", "--data", "/tmp/d",
      "--kill-executor-during", "q72", "--repeat", "2"))
    assert(o.job == "tpcds" && o.scaleFactor == 0.5 && o.queries == Seq("q14a", "q72") && o.data.contains("/tmp/d"))
    assert(o.killDuring == Seq("q72") && o.repeat.contains(2))
    val d = BenchOptions.parse(Array("tpch"))
    assert(d.scaleFactor == 1.0 && d.queries.isEmpty && d.data.isEmpty && d.killDuring.isEmpty)
    def refused(args: String*): String = intercept[ParameterException](BenchOptions.parse(args.toArray)).getMessage
    assert(refused("tpch", "--queries", "q1,q23").contains("tpch has no query q23"))
    assert(refused("tpcds", "--sf", "0").contains("--sf needs a positive scale factor"))
    assert(refused("tpcds", "--queries", "q1", "--kill-executor-during", "q72").contains("q72 is not among --queries"))
  }
}

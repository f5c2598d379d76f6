package io.efashuffle.spark

import org.apache.spark.sql.SparkSession

import io.efashuffle.spark.bench.{BenchContext, BenchOptions, TeraSortJob}

/**
 * A small application for `spark-submit` (BenchJobsSuite runs it with the plugin given only by
 * `--jars` and `--conf`): a 4 MiB TeraSort that validates itself and the skewed groupBy, at once on
 * fresh executors (whose tasks may use the built-in path while their fabric starts), then the groupBy
 * again once the executors' fabric has started, with `SUBMIT-CHECK` lines for the test to read. Exits 1
 * if TeraSort's output is not valid or the two groupBys differ.
 */
object SubmitCheck {
  def main(args: Array[String]): Unit = {
    val spark = SparkSession.builder().appName("submit-check").getOrCreate()
    val ok = try {
      val sc = spark.sparkContext
      val o = BenchOptions(job = TeraSortJob.name, megabytes = Some(4), maps = Some(4), reducers = Some(4),
        progress = false)
      val tera = TeraSortJob.run(new BenchContext(spark, o, TeraSortJob.name, "submit"))
      val groups = Jobs.groupBySkewed(sc)
      val started = ExecutorProbes.localClusterExecutors(sc.master).forall(n => ExecutorProbes.awaitFabricStarts(sc, n))
      val fabricBefore = BenchContext.fabricBytes
      val again = Jobs.groupBySkewed(sc)
      println(s"SUBMIT-CHECK app ${sc.applicationId}")
      println(s"SUBMIT-CHECK shuffle manager ${sc.getConf.get("spark.shuffle.manager", "sort")}")
      println(s"SUBMIT-CHECK terasort ${tera.result.mkString}; problems: ${tera.problems.mkString("; ")}")
      println(s"SUBMIT-CHECK groupBySkewed ${groups.size} keys, hash ${groups.hashCode}")
      println(s"SUBMIT-CHECK fabric starts ended: $started")
      println(s"SUBMIT-CHECK groupBySkewed once started: ${if (again == groups) "same" else "DIFFERS"}")
      println(s"SUBMIT-CHECK fabricBytes once started ${BenchContext.fabricBytes - fabricBefore}")
      tera.problems.isEmpty && again == groups
    } finally spark.stop()
    sys.exit(if (ok) 0 else 1)
  }
}

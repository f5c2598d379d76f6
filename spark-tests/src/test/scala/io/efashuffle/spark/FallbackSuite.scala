package io.efashuffle.spark

import org.apache.spark.SparkException
import org.apache.spark.shuffle.efa.registry.ShuffleCounter._
import org.scalatest.funsuite.AnyFunSuite

import io.efashuffle.spark.ClusterSupport._

/**
 * Where the fabric cannot start (here: provider efa on a machine without an EFA device) the
 * executors say why and shuffle through Spark's built-in path with identical results, unless the
 * user made the fabric required, in which case the job fails with that reason.
 */
class FallbackSuite extends AnyFunSuite {
  private def expected = builtinGroupBySkewed

  test("no EFA device: built-in path, same results, nothing through the fabric") {
    val (result, stats) = withContext(ClusterConf.plugin("fallback-efa", provider = "efa")) { sc =>
      (Jobs.groupBySkewed(sc), pluginStats)
    }
    assert(result == expected)
    assert(stats.get(FABRIC_BYTES) == 0 && stats.get(STAGED_MAP_OUTPUTS) == 0, stats)
    assert(stats.get(FALLBACK_BLOCKS) > 0, stats)
  }

  // Spark 4.1 and older fail on JDK 25 before plugin code runs, so executors are told another version.
  test("an unsupported Spark: the executors refuse the fabric with what is supported, built-in path, same results") {
    val conf = ClusterConf.plugin("unsupported-spark").set("spark.executorEnv.EFA_SHUFFLE_TEST_SPARK_VERSION", "4.1.3")
    val (result, stats, app) = withContext(conf)(sc => (Jobs.groupBySkewed(sc), pluginStats, sc.applicationId))
    assert(result == expected)
    assert(stats.get(FABRIC_BYTES) == 0 && stats.get(STAGED_MAP_OUTPUTS) == 0 && stats.get(FALLBACK_BLOCKS) > 0, stats)
    val logs = executorLogs(app).values.mkString
    assert(logs.contains("EFA shuffle unavailable on executor") && logs.contains("Spark 4.1.3 runs on JDK 17 or 21")
      && logs.contains("supports Spark 4.2.x with Scala 2.13 on JDK 25"), logs.takeRight(4000))
  }

  // Spark's default spark.task.maxFailures (4): every attempt of a task, on every executor, must
  // refuse the built-in path, not only the first task of each executor.
  test("spark.shuffle.efa.required=true without a usable fabric fails the job on every attempt and says why") {
    val conf = ClusterConf.plugin("required-efa", provider = "efa").set("spark.shuffle.efa.required", "true")
    val e = intercept[SparkException](withContext(conf)(sc => Jobs.groupBySkewed(sc)))
    assert(e.getMessage.contains("failed 4 times"), e.getMessage)
    assert(e.getMessage.contains("spark.shuffle.efa.required=true"), e.getMessage)
    assert(e.getMessage.contains("cannot start on executor"), e.getMessage)
    assert(e.getMessage.toLowerCase.contains("efa provider") || e.getMessage.contains("provider 'efa'"), e.getMessage)
  }

  test("spark.shuffle.efa.fallback.enabled=false without a usable fabric fails the job on every attempt") {
    val conf = ClusterConf.plugin("no-fallback-efa", provider = "efa").set("spark.shuffle.efa.fallback.enabled", "false")
    val e = intercept[SparkException](withContext(conf)(sc => Jobs.groupBySkewed(sc)))
    assert(e.getMessage.contains("failed 4 times"), e.getMessage)
    assert(e.getMessage.contains("spark.shuffle.efa.fallback.enabled=false"), e.getMessage)
  }

  test("a bad setting stops the SparkContext at start with the key and the allowed values") {
    val conf = ClusterConf.plugin("bad-conf").set("spark.shuffle.efa.receive.bufferSize", "lots")
    val e = intercept[Exception](withContext(conf)(_ => ()))
    val causes = Iterator.iterate[Throwable](e)(_.getCause).takeWhile(_ != null).toSeq
    assert(causes.exists(c => c.isInstanceOf[IllegalArgumentException] &&
      c.getMessage.contains("spark.shuffle.efa.receive.bufferSize=lots")), causes.map(_.toString).mkString("\n"))
  }

  // The old protocol's block ids carry the map index, not the task attempt: the plugin could not
  // tell a stale staged attempt from the one the MapStatus names, so it stays off.
  test("spark.shuffle.useOldFetchProtocol=true: nothing staged or read through the fabric, same results") {
    val conf = ClusterConf.plugin("old-protocol").set("spark.shuffle.useOldFetchProtocol", "true")
    val (result, stats) = withContext(conf)(sc => (Jobs.groupBySkewed(sc), pluginStats))
    assert(result == expected)
    assert(stats.get(STAGED_MAP_OUTPUTS) == 0 && stats.get(FABRIC_BYTES) == 0 && stats.get(LOCAL_STAGED_BYTES) == 0, stats)
  }

  test("spark.shuffle.useOldFetchProtocol=true with required=true stops the SparkContext at start, naming both") {
    val conf = ClusterConf.plugin("old-protocol-required").set("spark.shuffle.useOldFetchProtocol", "true")
      .set("spark.shuffle.efa.required", "true")
    val e = intercept[Exception](withContext(conf)(_ => ()))
    val causes = Iterator.iterate[Throwable](e)(_.getCause).takeWhile(_ != null).toSeq
    assert(causes.exists(c => c.isInstanceOf[IllegalArgumentException] &&
      c.getMessage.contains("spark.shuffle.useOldFetchProtocol=true") &&
      c.getMessage.contains("spark.shuffle.efa.required=true")), causes.map(_.toString).mkString("\n"))
  }

  test("a budget of 0: every map output goes to Spark's files and every block through its fetcher") {
    val conf = ClusterConf.plugin("zero-budget").set("spark.shuffle.efa.buffer.budget", "0")
    val (result, stats) = withContext(conf)(sc => (Jobs.groupBySkewed(sc), pluginStats))
    assert(result == expected)
    assert(stats.get(STAGED_MAP_OUTPUTS) == 0 && stats.get(FABRIC_BYTES) == 0 && stats.get(LOCAL_STAGED_BYTES) == 0, stats)
    assert(stats.get(FALLBACK_BLOCKS) > 0, stats)
  }

  test("a registered budget too small for the map outputs spills them to Spark's files, results unchanged") {
    val conf = ClusterConf.plugin("tiny-budget").set("spark.shuffle.efa.buffer.budget", "256k")
      .set("spark.shuffle.efa.writer.reserve", "64k")
    val (result, stats) = withContext(conf)(sc => (Jobs.groupBySkewed(sc), pluginStats))
    assert(result == expected)
    assert(stats.get(FALLBACK_BLOCKS) > 0 && stats.get(STAGED_MAP_OUTPUTS) > 0, s"some outputs staged, some file-backed: $stats")
  }
}

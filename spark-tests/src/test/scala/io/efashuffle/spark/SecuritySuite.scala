package io.efashuffle.spark

import java.io.File
import java.nio.file.Files

import org.apache.spark.{SparkConf, SparkContext}
import org.scalatest.funsuite.AnyFunSuite

import io.efashuffle.spark.ClusterSupport._

/**
 * The plugin never weakens what Spark's own security settings promise: under `spark.authenticate`
 * (and network encryption) a plain-TCP provider is refused on every executor with one clear line,
 * and the job runs on Spark's authenticated path with the same results; a user who accepts the
 * weaker path says so with a documented setting; shm (same host, owner-only regions) stays on.
 */
class SecuritySuite extends AnyFunSuite {
  private lazy val expected = withContext(authenticated(ClusterConf.builtin("security-baseline")))(sc => Jobs.groupBySkewed(sc))

  private def authenticated(conf: SparkConf): SparkConf =
    conf.set("spark.authenticate", "true").set("spark.authenticate.secret", "efa-shuffle-security-suite")

  private def executorLogs(sc: SparkContext): Seq[String] = {
    val dir = new File(System.getProperty("spark.home"), s"work/${sc.applicationId}")
    Option(dir.listFiles()).toSeq.flatten.map(d => new File(d, "stderr")).filter(_.exists())
      .map(f => Files.readString(f.toPath))
  }

  test("spark.authenticate=true on tcp: every executor refuses the fabric with one clear line, same results") {
    val (result, stats, logs) = withContext(authenticated(ClusterConf.plugin("security-tcp"))) { sc =>
      (Jobs.groupBySkewed(sc), pluginStats, executorLogs(sc))
    }
    assert(result == expected)
    assert(stats.fabricBytes == 0 && stats.stagedMapOutputs == 0, stats)
    assert(stats.fallbackBlocks > 0, stats)
    assert(logs.size == 2, "executor logs")
    logs.foreach { log =>
      val lines = log.linesIterator.filter(_.contains("EFA shuffle unavailable on executor")).toSeq
      assert(lines.size == 1, log.takeRight(4000))
      assert(lines.head.contains("the tcp provider is plain TCP") && lines.head.contains("spark.authenticate=true")
        && lines.head.contains("spark.shuffle.efa.security.allowUnprotectedFabric=true"), lines.head)
    }
  }

  test("spark.authenticate=true on tcp with allowUnprotectedFabric=true: the fabric carries the blocks, same results") {
    val conf = authenticated(ClusterConf.plugin("security-tcp-opt-in"))
      .set("spark.shuffle.efa.security.allowUnprotectedFabric", "true")
    val (result, stats) = withContext(conf)(sc => (Jobs.groupBySkewed(sc), pluginStats))
    assert(result == expected)
    assert(stats.fabricBytes > 0 && stats.fallbackBlocks == 0, stats)
  }

  test("spark.authenticate and spark.network.crypto.enabled on shm: same host only, the fabric stays on, same results") {
    val conf = authenticated(ClusterConf.plugin("security-shm", provider = "shm"))
      .set("spark.network.crypto.enabled", "true")
    val (result, stats) = withContext(conf)(sc => (Jobs.groupBySkewed(sc), pluginStats))
    assert(result == expected)
    assert(stats.fabricBytes > 0 && stats.fallbackBlocks == 0, stats)
  }
}

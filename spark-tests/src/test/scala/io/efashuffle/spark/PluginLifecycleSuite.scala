package io.efashuffle.spark

import java.nio.file.Files

import org.apache.spark.SparkInternals
import org.apache.spark.shuffle.efa.metrics.RegistrySource
import org.apache.spark.shuffle.efa.registry.ShuffleCounter._
import org.scalatest.funsuite.AnyFunSuite

import io.efashuffle.spark.ClusterSupport._
import io.efashuffle.spark.ExecutorProbes._

/**
 * The plugin over an application's life: its metrics in Spark's metrics system on both sides,
 * registered memory and registry entries returning to zero across many cleaned shuffles, and a
 * serving executor killed in the middle of a reduce stage.
 */
class PluginLifecycleSuite extends AnyFunSuite {
  private def probeBoth(sc: org.apache.spark.SparkContext) = {
    val p = probe(sc, 2)
    assert(p.size == 2, s"not every executor ran a probe: ${p.keys}")
    p
  }

  test("executors start the fabric as they launch; metrics reach Spark's metrics system on both sides, and agree") {
    withFreshContext(ClusterConf.plugin("metrics")) { sc =>
      // Before any job: each executor has published its segment (spark.shuffle.efa.startEagerly).
      val deadline = System.nanoTime() + 60L * 1000 * 1000 * 1000
      def segments = SparkInternals.metrics(RegistrySource.NAME).getOrElse("executorSegments", 0L)
      while (segments < 2 && System.nanoTime() < deadline) Thread.sleep(50)
      assert(segments == 2, "executors did not start the fabric before their first task")
      assert(sc.statusTracker.getJobIdsForGroup(null).isEmpty)
      assert(awaitFabricStarts(sc, 2), "the executors' fabric starts did not end") // a segment is published before
      val (shuffled, result) = numberedShuffle(sc, 0)
      assert(result == numberedShuffleExpected(0))
      SparkInternals.drain(sc)
      val driver = SparkInternals.metrics(RegistrySource.NAME)
      val executors = probeBoth(sc).values.map(_.metrics).toSeq
      assert(driver("read.fabricBytes") > 0, driver)
      assert(driver("mapOutputs") == 4 && driver("shuffles") == 1 && driver("executorSegments") == 2, driver)
      assert(executors.map(_("read.fabricBytes")).sum == driver("read.fabricBytes"), (executors, driver))
      assert(executors.forall(m => m("registeredBytes") >= (384L << 20)), executors)
      assert(executors.map(_("stagedMapOutputs")).sum == 4, executors)
      assert(executors.map(_("stagedBytes")).sum > 0, executors)
      assert(SparkInternals.shuffleId(shuffled) == 0) // held until here, so Spark's cleaner left it
    }
  }

  test("a first job submitted at once on fresh executors: tasks do not wait for the fabric start (built-in path " +
    "meanwhile), results equal the built-in's; once started, every map output is staged and read over the fabric") {
    val expected = builtinGroupBySkewed
    withFreshContext(ClusterConf.plugin("first-job")) { sc =>
      assert(Jobs.groupBySkewed(sc) == expected) // 6 map tasks, as soon as executors register
      SparkInternals.drain(sc)
      val (stagedFirst, fabricFirst) = (pluginStats.get(STAGED_MAP_OUTPUTS), pluginStats.get(FABRIC_BLOCKS))
      val builtinWhileStarting = executorLogs(sc.applicationId).count(_._2.contains("the fabric is still starting"))
      info(s"first job: $stagedFirst of 6 map outputs staged; $builtinWhileStarting executors used the built-in path " +
        "while starting")
      assert(ExecutorProbes.awaitFabricStarts(sc, 2), "the executors' fabric starts did not end")
      assert(Jobs.groupBySkewed(sc) == expected)
      SparkInternals.drain(sc)
      assert(pluginStats.get(STAGED_MAP_OUTPUTS) - stagedFirst == 6, pluginStats)
      assert(pluginStats.get(FABRIC_BLOCKS) > fabricFirst, pluginStats)
    }
  }

  test("an executor's reduce tasks share its map-output indexes: index reads <= executors x map outputs") {
    withContext(ClusterConf.plugin("shared-indexes")) { sc =>
      // 4 map outputs, 120 reduce tasks on 2 executors: read per task, that is about 240 index reads.
      val (_, result) = numberedShuffle(sc, 0, reducers = 120)
      assert(result == numberedShuffleExpected(0))
      SparkInternals.drain(sc)
      val stats = pluginStats
      info(s"index reads: ${stats.get(INDEX_READS)} for 120 reduce tasks")
      assert(stats.get(FABRIC_BLOCKS) > 0, s"no block crossed the fabric: $stats")
      assert(stats.get(INDEX_READS) > 0 && stats.get(INDEX_READS) <= 2 * 4, s"index reads not shared by tasks: $stats")
      val executors = probeBoth(sc).values.map(_.metrics("read.indexReads")).toSeq
      assert(executors.sum == stats.get(INDEX_READS) && executors.forall(_ <= 4), executors)
    }
  }

  test("30 shuffles with cleanup: registry entries and staged memory return to zero, nothing grows") {
    withContext(ClusterConf.plugin("many-shuffles")) { sc =>
      var baseline: Map[String, ExecutorProbe] = null
      for (i <- 1 to 30) {
        val (shuffled, result) = numberedShuffle(sc, i)
        assert(result == numberedShuffleExpected(i), s"shuffle $i")
        SparkInternals.cleanShuffle(sc, SparkInternals.shuffleId(shuffled))
        if (i == 10) baseline = probeBoth(sc)
      }
      val driver = SparkInternals.metrics(RegistrySource.NAME)
      assert(driver("mapOutputs") == 0 && driver("shuffles") == 0 && driver("stagedBytes") == 0, driver)
      assert(driver("write.stagedMapOutputs") == 30 * 4, driver)
      for ((id, p) <- probeBoth(sc)) {
        val b = baseline(id)
        assert(p.metrics("stagedBytes") == 0 && p.metrics("stagedMapOutputs") == 0, p)
        assert(p.metrics("registeredBytes") == b.metrics("registeredBytes"), (b, p))
        assert(p.openFds <= b.openFds + 4, s"file descriptors grew on executor $id: ${b.openFds} -> ${p.openFds}")
        assert(p.pluginThreads == b.pluginThreads, s"plugin threads changed on executor $id")
      }
    }
  }

  test("a serving executor killed during the reduce stage: FetchFailed, recomputation, right result") {
    val marker = Files.createTempDirectory("efa-kill").resolve("killed")
    val conf = ClusterConf.plugin("kill-executor")
      .set("spark.shuffle.efa.receive.poolSize", "1m")
      .set("spark.shuffle.efa.receive.bufferSize", "64k")
      .set("spark.shuffle.efa.reader.maxBytesInFlight", "128k")
      .set("spark.shuffle.efa.fetch.retryWait", "50ms")
    val records = 240000
    val want = (0 until records).map(i => (i % 4, i.toLong)).groupMapReduce(_._1)(_._2)(_ + _)
    withContext(conf) { sc =>
      val recovery = countRecovery(sc)
      val result = sumWhileKillingAnExecutor(sc, records, marker)
      SparkInternals.drain(sc)
      assert(Files.exists(marker), "no executor was killed")
      assert(result == want)
      info(s"fetch failures: ${recovery.fetchFailures.size}, stage retries: ${recovery.stageRetries}")
      assert(recovery.fetchFailures.nonEmpty, "the reader did not report the lost map outputs as FetchFailed")
      assert(recovery.stageRetries > 0, "the lost map outputs were not recomputed")
    }
  }
}

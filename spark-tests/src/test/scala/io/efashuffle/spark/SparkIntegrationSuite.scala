package io.efashuffle.spark

import java.util.concurrent.{CountDownLatch, TimeUnit}

import org.apache.spark.{SparkConf, SparkContext, SparkInternals}
import org.apache.spark.scheduler.{SparkListener, SparkListenerExecutorRemoved}
import org.scalatest.funsuite.AnyFunSuite

import io.efashuffle.spark.ClusterSupport._
import io.efashuffle.spark.ExecutorProbes._

/**
 * Spark features that reach into the shuffle block resolver: corruption diagnosis (a cast to
 * IndexShuffleBlockResolver) and decommissioning with shuffle-block migration (a cast to
 * MigratableResolver), each on real executors and, for migration, against the built-in shuffle.
 */
class SparkIntegrationSuite extends AnyFunSuite {

  private def diagnoseAll(sc: SparkContext, shuffleId: Int): Map[Long, String] = {
    val causes = ResolverProbes.diagnoseAll(sc, shuffleId)
    val outputs = SparkInternals.mapOutputs(sc, shuffleId)
    assert(causes.keySet == outputs.map(_._2).toSet, s"not every map output was diagnosed: $causes vs $outputs")
    causes
  }

  test("corruption diagnosis answers for staged outputs (unknown: no writer checksum) and file outputs; " +
    "the driver names a map output's files for the external shuffle service") {
    withContext(ClusterConf.plugin("diagnose-staged")) { sc =>
      val (shuffled, result) = numberedShuffle(sc, 1)
      assert(result == numberedShuffleExpected(1))
      assert(pluginStats.stagedMapOutputs == 4, pluginStats)
      val causes = diagnoseAll(sc, SparkInternals.shuffleId(shuffled))
      assert(causes.values.forall(_ == "UNKNOWN_ISSUE"), causes)
    }
    // File outputs keep Spark's checksum file: the writer's checksum is right, the reader's (0) is not.
    withContext(ClusterConf.plugin("diagnose-files").set("spark.shuffle.efa.buffer.budget", "0")) { sc =>
      val (shuffled, result) = numberedShuffle(sc, 2)
      assert(result == numberedShuffleExpected(2))
      val shuffleId = SparkInternals.shuffleId(shuffled)
      val causes = diagnoseAll(sc, shuffleId)
      assert(causes.values.forall(_ == "NETWORK_ISSUE"), causes)
      // With the external shuffle service, the driver asks the resolver which files to delete.
      val mapId = SparkInternals.mapOutputs(sc, shuffleId).head._2
      val blocks = SparkInternals.blocksForShuffle(shuffleId, mapId)
      assert(blocks.contains(s"shuffle_${shuffleId}_${mapId}_0.data") &&
        blocks.contains(s"shuffle_${shuffleId}_${mapId}_0.index"), blocks)
    }
  }

  private def withDecommissioning(conf: SparkConf): SparkConf = conf
    .set("spark.decommission.enabled", "true")
    .set("spark.storage.decommission.enabled", "true")
    .set("spark.storage.decommission.shuffleBlocks.enabled", "true")
    .set("spark.storage.decommission.rddBlocks.enabled", "false")

  /**
   * Runs a shuffle, decommissions an executor holding map outputs, waits until it is gone, and
   * runs the same shuffled RDD again. Returns both results, the map tasks run by the second job
   * (0 when the outputs migrated) and where the outputs were before and after.
   */
  private def decommissionScenario(conf: SparkConf): (Seq[(Int, Long)], Seq[(Int, Long)], Long, Long) =
    withContext(withDecommissioning(conf)) { sc =>
      val mapTasks = sc.longAccumulator("map tasks")
      val shuffled = ResolverProbes.countedShuffle(sc, mapTasks)
      val first = shuffled.collect().sortBy(_._1).toSeq
      val shuffleId = SparkInternals.shuffleId(shuffled)
      val staged = pluginStats.stagedMapOutputs
      val victim = SparkInternals.mapOutputs(sc, shuffleId).groupBy(_._1).maxBy(_._2.size)._1
      val removed = new CountDownLatch(1)
      sc.addSparkListener(new SparkListener {
        override def onExecutorRemoved(e: SparkListenerExecutorRemoved): Unit =
          if (e.executorId == victim) removed.countDown()
      })
      SparkInternals.decommissionExecutor(sc, victim)
      assert(removed.await(90, TimeUnit.SECONDS), s"executor $victim was not removed after decommissioning")
      val after = SparkInternals.mapOutputs(sc, shuffleId)
      assert(after.size == 6 && after.forall(_._1 != victim), s"outputs not migrated off executor $victim: $after")
      val mapTasksBefore = mapTasks.value
      val second = shuffled.collect().sortBy(_._1).toSeq
      (first, second, mapTasks.value - mapTasksBefore, staged)
    }

  test("decommissioning with shuffle-block migration: staged outputs migrate, results equal the built-in shuffle") {
    val (builtinFirst, builtinSecond, builtinReruns, _) = decommissionScenario(ClusterConf.builtin("decom-builtin"))
    assert(builtinSecond == builtinFirst)
    assert(builtinReruns == 0, "the built-in shuffle migrated its outputs (the scenario is sound)")
    val (first, second, reruns, staged) = decommissionScenario(ClusterConf.plugin("decom-plugin"))
    assert(staged > 0, "map outputs were staged before the decommission")
    assert(first == builtinFirst)
    assert(second == builtinFirst)
    assert(reruns == 0, s"$reruns map tasks ran again: outputs were recomputed instead of migrated")
  }
}

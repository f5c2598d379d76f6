package io.efashuffle.spark

import java.util.concurrent.{CountDownLatch, TimeUnit}

import org.apache.spark.{SparkConf, SparkContext, SparkInternals}
import org.apache.spark.scheduler.{SparkListener, SparkListenerExecutorRemoved}
import org.apache.spark.shuffle.efa.registry.ShuffleCounter._
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

  test("corruption diagnosis answers for staged outputs and file outputs alike (the writer's checksum is " +
    "right, the reader's is not: a network issue); " +
    "the driver names a map output's files for the external shuffle service") {
    withContext(ClusterConf.plugin("diagnose-staged")) { sc =>
      val (shuffled, result) = numberedShuffle(sc, 1)
      assert(result == numberedShuffleExpected(1))
      assert(pluginStats.get(STAGED_MAP_OUTPUTS) == 4, pluginStats)
      val causes = diagnoseAll(sc, SparkInternals.shuffleId(shuffled))
      // Spark's BlockManager reads the writer's checksums from the file the resolver writes for a staged output.
      assert(causes.values.forall(_ == "NETWORK_ISSUE"), causes)
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
    // A decommissioned executor exits once a migration pass finds nothing left to move; passes are
    // this far apart (default 30 s, which only makes both scenarios wait).
    .set("spark.storage.decommission.replicationReattemptInterval", "1s")

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
      val staged = pluginStats.get(STAGED_MAP_OUTPUTS)
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

  // Spark SQL's order-independent map-output checksums (which tell a retried map task that produced
  // other records from the first attempt) are computed by Spark's writers over the records, whatever
  // the IO plugin: each map output's checksum must equal the built-in shuffle's, on and off.
  // One application per shuffle runs the query with the setting on, then off (a runtime SQL setting).
  test("spark.sql.shuffle.orderIndependentChecksum.enabled on and off: same results and map checksums as built-in") {
    def run(conf: SparkConf): Seq[(Seq[String], Map[Int, Seq[Long]])] = withSession(conf) { spark =>
      import spark.implicits._
      spark.conf.set("spark.sql.adaptive.enabled", "false")
      spark.conf.set("spark.sql.shuffle.partitions", "7")
      Seq(true, false).map { enabled =>
        spark.conf.set("spark.sql.shuffle.orderIndependentChecksum.enabled", enabled.toString)
        val earlier = SparkInternals.mapChecksums(spark.sparkContext).keySet
        val rows = spark.range(0, 200000, 1, 5).select(($"id" % 313).as("k"), ($"id" * 7 % 1000).as("v"))
          .groupBy("k").agg(org.apache.spark.sql.functions.sum("v").as("s")).orderBy("k")
          .collect().map(_.toString).toSeq
        (rows, SparkInternals.mapChecksums(spark.sparkContext) -- earlier)
      }
    }
    val builtin = run(ClusterConf.builtin("checksums-builtin"))
    val plugin = run(ClusterConf.plugin("checksums-plugin"))
    for (((enabled, (builtinRows, builtinSums)), (pluginRows, pluginSums)) <- Seq(true, false).zip(builtin).zip(plugin)) {
      assert(pluginRows == builtinRows && pluginRows.size == 313, s"enabled=$enabled")
      assert(pluginSums.nonEmpty && pluginSums == builtinSums, s"enabled=$enabled: plugin $pluginSums vs built-in $builtinSums")
      val all = pluginSums.values.flatten.toSeq
      assert(all.nonEmpty && all.forall(_ != -1L), pluginSums)
      if (enabled) assert(all.exists(_ != 0L), s"no checksum computed: $pluginSums")
    }
  }
}

package io.efashuffle.spark

import org.apache.spark.shuffle.efa.registry.ShuffleCounter._
import org.scalatest.funsuite.AnyFunSuite

import io.efashuffle.spark.ClusterSupport._
import io.efashuffle.spark.ExecutorProbes._

/**
 * `spark.shuffle.efa.peers.insertAhead` (what efa-direct requires of an RMA target) on real
 * executors over tcp: each executor inserts every other one into its address vector as it joins,
 * through the driver's peer log, and reads still cross the fabric and give the right result.
 */
class PeersInsertedAheadSuite extends AnyFunSuite with UsersJit {
  test("tcp, 3 executors: each inserts the other two ahead of any read; results equal a local reference") {
    val conf = ClusterConf.plugin("peers-ahead", executors = 3)
      .set("spark.shuffle.efa.peers.insertAhead", "true")
      .set("spark.shuffle.efa.peers.syncInterval", "100ms")
    withContext(conf) { sc =>
      val deadline = System.nanoTime() + 60L * 1000 * 1000 * 1000
      def inserted = probe(sc, 3).values.map(_.metrics("peers.insertedAhead")).toSeq
      var seen = inserted
      while (!(seen.size == 3 && seen.forall(_ == 2)) && System.nanoTime() < deadline) {
        Thread.sleep(200)
        seen = inserted
      }
      assert(seen.size == 3 && seen.forall(_ == 2), s"peers inserted ahead per executor: $seen")
      for (i <- 0 until 3) {
        val (_, result) = numberedShuffle(sc, i, reducers = 12)
        assert(result == numberedShuffleExpected(i), s"shuffle $i")
      }
      org.apache.spark.SparkInternals.drain(sc)
      val stats = pluginStats
      assert(stats.get(FABRIC_BLOCKS) > 0, s"every server had synced, yet no block crossed the fabric: $stats")
      val addresses = probe(sc, 3).values.map(_.metrics("peers.addresses")).toSeq
      assert(addresses.forall(_ == 2), s"one address-vector slot per peer, shared by reads and insertion: $addresses")
    }
  }
}

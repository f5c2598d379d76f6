package io.efashuffle.spark

import java.lang.foreign.{Arena, MemorySegment}
import java.time.Duration
import java.util.concurrent.{CompletableFuture, TimeUnit}

import scala.jdk.CollectionConverters._
import scala.util.Using

import io.efashuffle.transfer.engine.SegmentDescriptor
import io.efashuffle.transfer.transport.{FabricTransport, Opcode, RemoteAccess, RmaOperation, TransportConfig}
import org.apache.spark.{ShuffleDependency, SparkConf}
import org.apache.spark.shuffle.efa.EfaShuffleDriverComponents
import org.apache.spark.shuffle.efa.registry.ShuffleCounter._
import org.scalatest.funsuite.AnyFunSuite

import io.efashuffle.spark.ClusterSupport._
import io.efashuffle.spark.FaultJobs._

/**
 * The plugin never weakens what Spark's own security settings promise: under `spark.authenticate`
 * (and network encryption) a plain-TCP provider is refused on every executor with one clear line,
 * and the job runs on Spark's authenticated path with the same results; a user who accepts the
 * weaker path says so with a documented setting; shm (same host, owner-only regions) stays on.
 */
class SecuritySuite extends AnyFunSuite {
  private def expected = builtinGroupBySkewed

  private def authenticated(conf: SparkConf): SparkConf =
    conf.set("spark.authenticate", "true").set("spark.authenticate.secret", "efa-shuffle-security-suite")

  test("spark.authenticate=true on tcp: every executor refuses the fabric with one clear line, same results") {
    val (result, stats, logs) = withContext(authenticated(ClusterConf.plugin("security-tcp"))) { sc =>
      (Jobs.groupBySkewed(sc), pluginStats, executorLogs(sc.applicationId).values.toSeq)
    }
    assert(result == expected)
    assert(stats.get(FABRIC_BYTES) == 0 && stats.get(STAGED_MAP_OUTPUTS) == 0, stats)
    assert(stats.get(FALLBACK_BLOCKS) > 0, stats)
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
    assert(stats.get(FABRIC_BYTES) > 0 && stats.get(FALLBACK_BLOCKS) == 0, stats)
  }

  test("spark.authenticate and spark.network.crypto.enabled on shm: same host only, the fabric stays on, same results") {
    val conf = authenticated(ClusterConf.plugin("security-shm", provider = "shm"))
      .set("spark.network.crypto.enabled", "true")
    val (result, stats) = withContext(conf)(sc => (Jobs.groupBySkewed(sc), pluginStats))
    assert(result == expected)
    assert(stats.get(FABRIC_BYTES) > 0 && stats.get(FALLBACK_BLOCKS) == 0, stats)
  }

  // A foreign process that got hold of the descriptors the driver hands out (address and key of
  // each executor's map-output memory): its writes are refused, so nothing it sent reaches a
  // reader. Had a write landed, the readers' checksum check would have failed the block (a
  // FetchFailed); none happens. (tcp: shm's CMA copies skip the key check, see the README.)
  test("tcp: a foreign process holding the executors' descriptors writes nothing into their memory, results right") {
    withContext(ClusterConf.plugin("security-foreign")) { sc =>
      val records = 40000
      val shuffled = valueShuffle(sc, records)
      assert(sums(shuffled) == expectedSums(records))
      val registry = EfaShuffleDriverComponents.activeRegistry()
      val segments = registry.segments().asScala.toMap
      assert(segments.size == 2 && segments.values.forall(_.buffers().size == 1),
        s"each executor publishes its map-output memory only: $segments")
      val shuffleId = shuffled.dependencies.head.asInstanceOf[ShuffleDependency[_, _, _]].shuffleId
      val outputs = registry.locations(shuffleId).asScala.toSeq
      assert(outputs.size == 8)

      val recovery = countRecovery(sc)
      val outcomes = for {
        loc <- outputs.take(4)
        d = segments(loc.segmentName)
        key = d.buffers().get(0).keys()(0)
        (address, k) <- Seq(loc.dataAddress -> key, loc.indexAddress -> key, loc.dataAddress -> (key + 1),
          loc.dataAddress -> 1L, d.buffers().get(0).base() + d.buffers().get(0).length() -> key)
      } yield foreignWrite(d, address, k)
      assert(sums(shuffled) == expectedSums(records))
      assert(recovery.fetchFailures.isEmpty, s"a foreign write reached a map output: ${recovery.fetchFailures}")
      info(s"${outcomes.size} foreign writes, each refused (${outcomes.distinct.mkString("; ")})")
    }
  }

  /** One fi_write of 4 KiB from a fresh endpoint of this (non-executor) process; its outcome. */
  private def foreignWrite(target: SegmentDescriptor, address: Long, key: Long): String =
    Using.resource(new FabricTransport(TransportConfig.defaults("tcp").withNics(java.util.List.of("lo"))
        .withOperationTimeout(Duration.ofSeconds(5)))) { t =>
      Using.resource(Arena.ofShared()) { arena =>
        val local: MemorySegment = arena.allocate(4096, 4096)
        local.fill(0x5a.toByte)
        val mine = t.register(local, RemoteAccess.NONE)
        val peer = t.connect(target.name(), target.endpoint())
        val done = new CompletableFuture[Throwable]()
        val base = target.buffers().get(0).base()
        t.submit(new RmaOperation(Opcode.WRITE, local.address(), 4096, mine, peer, base, address - base, Array(key),
          (_: RmaOperation, err: RuntimeException) => done.complete(err), null))
        val err = done.get(30, TimeUnit.SECONDS)
        t.unregister(mine)
        if (err == null) "completed at the sender, refused by the executor" else err.getClass.getSimpleName
      }
    }
}

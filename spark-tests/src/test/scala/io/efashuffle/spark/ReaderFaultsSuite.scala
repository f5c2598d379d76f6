package io.efashuffle.spark

import java.nio.file.Files

import scala.concurrent.{Await, Future}
import scala.concurrent.ExecutionContext.Implicits.global
import scala.concurrent.duration._
import scala.util.Try

import org.apache.spark.{SparkConf, SparkContext, SparkInternals}
import org.apache.spark.scheduler.{SparkListener, SparkListenerExecutorRemoved, SparkListenerTaskEnd}
import org.apache.spark.shuffle.efa.registry.ShuffleCounter._
import org.scalatest.funsuite.AnyFunSuite

import io.efashuffle.spark.ClusterSupport._
import io.efashuffle.spark.ExecutorProbes._
import io.efashuffle.spark.FaultJobs._

/**
 * The reader off the happy path, on real executors over tcp and shm: reduce tasks killed and jobs
 * cancelled in the middle of fabric reads, first attempts failing after a partial read, a serving
 * executor paused past the operation timeout, one killed during the reduce stage, and a staged
 * map output corrupted at its source. Every result is compared with the expected sums (the same input
 * through Spark's built-in shuffle gives them; see PluginCorrectnessSuite), and every receive
 * buffer must be back in the pool afterwards (the plugin's `receive.*` gauges).
 */
class ReaderFaultsSuite extends AnyFunSuite with UsersJit {
  private val records = 240000

  /** Small receive buffers and prefetch, so reads are in flight whenever a task is stopped. */
  private def conf(name: String, provider: String): SparkConf =
    ClusterConf.plugin(name, provider)
      .set("spark.shuffle.efa.receive.poolSize", "1m")
      .set("spark.shuffle.efa.receive.bufferSize", "64k")
      .set("spark.shuffle.efa.reader.maxBytesInFlight", "128k")
      .set("spark.shuffle.efa.fetch.retryWait", "50ms")

  /** Waits (bounded) until every executor's receive buffers are all free again. */
  private def assertPoolsRefill(sc: SparkContext): Unit = {
    val (full, pools) = receivePoolsRefilled(sc, 2)
    assert(full, s"receive buffers did not all come back: $pools")
    assert(pools.values.forall(_("receive.buffers") == 16), pools)
  }

  /**
   * After a fault, with every buffer back: no executor keeps more address-vector entries that no
   * segment uses than `lostPeers` (shm keeps a dead peer's while it holds a read to it), and no
   * progress thread stays awake (over 2 idle seconds each uses under a tenth of a core).
   */
  private def assertFabricSettles(sc: SparkContext, lostPeers: Int = 0): Unit = {
    assertPoolsRefill(sc)
    val before = probe(sc, 2)
    Thread.sleep(2000)
    val after = probe(sc, 2)
    for ((id, e) <- after) {
      val m = e.metrics
      assert(m("peers.addresses") <= m("peers.segments") && m("peers.addressesAwaitingRelease") <= lostPeers,
        s"executor $id keeps addresses no segment uses: $m")
      before.get(id).foreach { b =>
        val cpu = m("fabric.progressCpuNanos") - b.metrics("fabric.progressCpuNanos")
        assert(cpu < 2000L * 1000 * 1000 / 10, f"executor $id's progress threads stayed awake: ${cpu / 1e6}%.0f ms CPU in about 2.3 s")
      }
    }
  }

  // One application per provider: an AQE read of wide index ranges, then three faults one after
  // another, each leaving the cluster as it was: tasks killed and jobs cancelled mid-read, first
  // attempts failing after a partial read, and a staged map output corrupted at its source.
  for (provider <- Seq("tcp", "shm")) {
    test(s"$provider: AQE ranges whose index is wider than a receive buffer; reduce tasks killed and jobs " +
      "cancelled mid-read (8 times), first attempts failing after a partial read, a flipped byte in a staged " +
      "map output (read in a batched run and block by block): right results, every buffer back") {
      withSession(conf(s"faults-$provider", provider)) { spark =>
        val sc = spark.sparkContext
        wideIndexRanges(spark)
        corruptBatchedRead(spark, provider)
        cancelledReads(sc)
        pipedReads(sc)
        retriedReads(sc)
        corruptStagedOutput(sc, provider)
      }
    }
  }

  /** A count of 200,000 ids by id % 5000, and what it must give. */
  private def keyCounts(spark: org.apache.spark.sql.SparkSession): org.apache.spark.sql.DataFrame = {
    import spark.implicits._
    spark.range(0, 200000, 1, 4).select(($"id" % 5000).as("k")).groupBy("k").count()
  }

  private val expectedKeyCounts = (0L until 200000L).groupMapReduce(_ % 5000)(_ => 1L)(_ + _)

  private def collected(df: org.apache.spark.sql.DataFrame): Map[Long, Long] =
    df.collect().map(r => r.getLong(0) -> r.getLong(1)).toMap

  private def wideIndexRanges(spark: org.apache.spark.sql.SparkSession): Unit = {
    // 12,000 shuffle partitions coalesced by AQE into a few readers: each reads a range of
    // thousands of partitions, whose index (8 bytes each) is larger than a 64 KiB receive buffer.
    spark.conf.set("spark.sql.adaptive.enabled", "true")
    spark.conf.set("spark.sql.adaptive.coalescePartitions.enabled", "true")
    spark.conf.set("spark.sql.shuffle.partitions", "12000")
    assert(collected(keyCounts(spark)) == expectedKeyCounts)
    assert(pluginStats.get(FABRIC_BYTES) > 0, "nothing crossed the fabric")
    assertPoolsRefill(spark.sparkContext)
    info("an AQE read of partition ranges whose index is wider than a receive buffer: right result")
  }

  private def corruptBatchedRead(spark: org.apache.spark.sql.SparkSession, provider: String): Unit = {
    // AQE coalesces 200 partitions into a few readers, and each reads a map output's run of
    // partitions as one stream (Spark SQL's batch fetch). A flipped byte in a map output's last
    // partition is met after its run's first blocks were handed out: still FetchFailed, recomputed.
    val sc = spark.sparkContext
    spark.conf.set("spark.sql.shuffle.partitions", "200")
    val df = keyCounts(spark)
    val batchedBefore = pluginStats.get(BATCHED_STREAMS)
    assert(collected(df) == expectedKeyCounts)
    assert(pluginStats.get(BATCHED_STREAMS) > batchedBefore, "no run of blocks was read as one stream")
    val shuffleId = SparkInternals.sqlShuffleIds(df).head
    val marker = Files.createTempDirectory(s"efa-corrupt-batch-$provider").resolve("flipped")
    val recovery = countRecovery(sc)
    assert(corruptOneStagedOutput(sc, shuffleId, marker, lastPartition = true), "no staged output to corrupt")
    assert(collected(df) == expectedKeyCounts) // the same query stages: the map outputs are read again
    SparkInternals.drain(sc)
    assert(recovery.fetchFailures.exists(_.contains("map output is corrupt")), recovery.fetchFailures)
    assertPoolsRefill(sc)
    info("a flipped byte in the last block of a batched run: detected, recomputed, right result")
  }

  private def cancelledReads(sc: SparkContext): Unit = {
    val shuffled = valueShuffle(sc, records)
    assert(sums(shuffled) == expectedSums(records)) // map outputs staged, reads work
    for (round <- 1 to 8) {
      val group = s"cancel-$round"
      val job = Future {
        sc.setJobGroup(group, s"cancelled read $round", interruptOnCancel = round % 2 == 1)
        sums(shuffled, sleepEvery = 50)
      }
      val started = System.nanoTime()
      while (sc.statusTracker.getActiveStageIds().isEmpty && System.nanoTime() - started < 30.seconds.toNanos) {
        Thread.sleep(20)
      }
      Thread.sleep(200 + 100 * (round % 3))
      sc.cancelJobGroup(group)
      assert(Try(Await.result(job, 2.minutes)).isFailure, s"round $round was not cancelled")
    }
    assertPoolsRefill(sc)
    assert(sums(shuffled) == expectedSums(records))
    assertPoolsRefill(sc)
    info("8 reads cancelled: every buffer came back, the next job was right")
  }

  // RDD.pipe reads its input on a writer thread of its own, not the task's. Through `cat` every
  // record must arrive; `head -n 2` exits at once, so each task ends (and its completion listener
  // releases the reader, on the task thread) while the writer thread may still be inside a read.
  private def pipedReads(sc: SparkContext): Unit = {
    val shuffled = valueShuffle(sc, records)
    assert(pipedSums(shuffled) == expectedSums(records))
    for (round <- 1 to 6) {
      assert(pipedCutShort(shuffled) == 2L * Partitions, s"round $round")
    }
    assertPoolsRefill(sc)
    assert(sums(shuffled) == expectedSums(records))
    assertPoolsRefill(sc)
    info("read through RDD.pipe's writer thread, whole and cut short by `head` (6 times): right, every buffer back")
  }

  // Speculation cannot be shown here: Spark never places a speculative copy on a host that
  // runs the original, and a local-cluster is one host. Its effect on the reader, an attempt
  // killed mid-read while another reads the same blocks, is what the cancel rounds do.
  private def retriedReads(sc: SparkContext): Unit = {
    SparkInternals.drain(sc) // the cancelled tasks' ends are not counted below
    @volatile var failedAttempts = 0
    sc.addSparkListener(new SparkListener {
      override def onTaskEnd(e: SparkListenerTaskEnd): Unit = if (e.taskInfo.failed) failedAttempts += 1
    })
    val shuffled = valueShuffle(sc, records)
    assert(sums(shuffled, failFirstAttemptAt = 5000) == expectedSums(records))
    SparkInternals.drain(sc)
    assert(failedAttempts >= Partitions, s"only $failedAttempts first attempts failed")
    assertPoolsRefill(sc)
    info(s"$failedAttempts first attempts failed after a partial read and were retried: right result, buffers back")
  }

  private def corruptStagedOutput(sc: SparkContext, provider: String): Unit = {
    val marker = Files.createTempDirectory(s"efa-corrupt-$provider").resolve("flipped")
    val recovery = countRecovery(sc)
    val shuffled = valueShuffle(sc, records)
    shuffled.count() // map outputs staged on both executors
    assert(corruptOneStagedOutput(sc, SparkInternals.shuffleId(shuffled), marker), "no staged output to corrupt")
    assert(sums(shuffled) == expectedSums(records))
    SparkInternals.drain(sc)
    // Caught by the checksum, or earlier by decompression: either way FetchFailed, recomputed.
    assert(recovery.fetchFailures.exists(_.contains("map output is corrupt")), recovery.fetchFailures)
    assertPoolsRefill(sc)
    info("a flipped byte in a staged map output: detected, recomputed, right result")
  }

  test("tcp: three shuffles read side by side in one task, prefetch larger than the pool: right result, no stall") {
    // Each reader may prefetch 48 MiB (the default) from a pool of 16 x 64 KiB buffers, and each
    // reads 4 remote blocks of about 200 KiB (uncompressed), so the readers the task is not
    // consuming at the moment can hold what the one it is consuming needs. Spark's default task
    // retries stay on: a stalled task would fail after fetch.timeout.
    withContext(conf("interleaved", "tcp").remove("spark.shuffle.efa.reader.maxBytesInFlight")
        .set("spark.shuffle.compress", "false")) { sc =>
      val records = 32000
      val (a, b, c) = (valueShuffle(sc, records), valueShuffle(sc, records), valueShuffle(sc, records))
      @volatile var failedTasks = 0
      sc.addSparkListener(new SparkListener {
        override def onTaskEnd(e: SparkListenerTaskEnd): Unit = if (e.taskInfo.failed) failedTasks += 1
      })
      val started = System.nanoTime()
      val got = interleavedSums(a, b, c)
      val expected = expectedSums(records)
      assert(got == expected.map { case (p, s) => p -> (s, s, s) })
      SparkInternals.drain(sc)
      info(f"took ${(System.nanoTime() - started) / 1e9}%.1f s; ${pluginStats.get(FALLBACK_BLOCKS)} block(s) through " +
        s"Spark's fetcher, ${pluginStats.get(FABRIC_BLOCKS)} over the fabric")
      assert(failedTasks == 0, s"$failedTasks task(s) failed")
      assert(pluginStats.get(FABRIC_BLOCKS) > 0, "nothing crossed the fabric")
      assertPoolsRefill(sc)
    }
  }

  test("tcp: a serving executor paused past the operation timeout, then resumed: right result, buffers back") {
    val marker = Files.createTempDirectory("efa-pause").resolve("paused")
    val c = conf("pause", "tcp")
      .set("spark.shuffle.efa.transport.operationTimeoutMillis", "1500")
      .set("spark.shuffle.efa.fetch.retryWait", "500ms")
    withContext(c) { sc =>
      var removed = 0
      sc.addSparkListener(new SparkListener {
        override def onExecutorRemoved(e: SparkListenerExecutorRemoved): Unit = removed += 1
      })
      val shuffled = valueShuffle(sc, records)
      shuffled.count() // map outputs staged on both executors
      val result = sumsWhilePausingAnExecutor(shuffled, marker, pauseMillis = 4000)
      assert(Files.exists(marker), "no executor was paused")
      assert(result == expectedSums(records))
      SparkInternals.drain(sc)
      assert(removed == 0, "a paused executor must not be treated as lost")
      assertFabricSettles(sc)
    }
  }

  // The other executor's readers knew the failed executor's outputs (cached locations): they stop
  // waiting on its dead fabric as soon as it withdraws them and read them through Spark's fetcher,
  // as Spark's own shuffle would, with no FetchFailed and nothing recomputed.
  test("tcp: a progress thread that dies: its executor falls back and withdraws its outputs, results stay right") {
    val marker = Files.createTempDirectory("efa-dead-rail").resolve("failed")
    withContext(conf("dead-rail", "tcp")) { sc =>
      val shuffled = valueShuffle(sc, records)
      assert(sums(shuffled) == expectedSums(records)) // staged on both executors
      val recovery = countRecovery(sc)
      assert(failOneProgressThread(sc, marker), "no progress thread was failed")
      assert(sums(shuffled) == expectedSums(records))
      assert(recovery.fetchFailures.isEmpty && recovery.stageRetries == 0,
        s"withdrawn outputs were not read through Spark's fetcher: ${recovery.fetchFailures}")
      val next = valueShuffle(sc, records / 2)
      assert(sums(next) == expectedSums(records / 2))
      val ready = fabricReadyByExecutor(sc, 2)
      assert(ready.size == 2 && ready.values.count(identity) == 1, s"fabric state by executor: $ready")
      assert(pluginStats.get(FALLBACK_BLOCKS) > 0, "the failed executor's reads did not go through Spark's fetcher")
    }
  }

  // A fault of the reader's own executor is nobody else's: the serving executor is healthy, so
  // naming it in a FetchFailed would make Spark drop and recompute all of its map outputs. Blocks
  // not handed out yet go through Spark's fetcher; a stream already partly read fails its task,
  // which Spark runs again.
  test("tcp: the reader's own rail fails in the middle of its reads: no FetchFailed against a healthy executor") {
    val marker = Files.createTempDirectory("efa-own-rail").resolve("failed")
    withContext(conf("own-rail", "tcp")) { sc =>
      val shuffled = valueShuffle(sc, records)
      shuffled.count() // map outputs staged on both executors
      val recovery = countRecovery(sc)
      assert(sumsFailingOwnFabricMidRead(shuffled, marker) == expectedSums(records))
      SparkInternals.drain(sc)
      assert(Files.exists(marker), "no rail was failed")
      assert(recovery.fetchFailures.isEmpty && recovery.stageRetries == 0,
        s"a healthy executor was named for this executor's own fault: ${recovery.fetchFailures}")
      assert(sums(shuffled) == expectedSums(records))
      val ready = fabricReadyByExecutor(sc, 2)
      assert(ready.size == 2 && ready.values.count(identity) == 1, s"fabric state by executor: $ready")
    }
  }

  // Connections between live executors break (a NAT or load balancer timing out, a peer's
  // socket reset): each read whose connection broke is tried again on a new one, and nothing is
  // blamed while the serving executor is alive. The kernel's socket killer (ss -K) breaks every
  // established connection of the executors' fabric endpoints, again and again during the reduce.
  test("tcp: fabric connections broken again and again during the reduce (ss -K): reads connect again and nobody is blamed") {
    withContext(conf("cut", "tcp")) { sc =>
      val shuffled = valueShuffle(sc, records)
      assert(sums(shuffled) == expectedSums(records)) // staged on both executors, connections up
      val ports = fabricPorts()
      assert(ports.size == 2, s"fabric ports: $ports")
      val recovery = countRecovery(sc)
      val retriesBefore = pluginStats.get(RETRIES)
      var broken = 0
      var retries = 0L
      var rounds = 0
      // Until a break has struck a read in flight: most of a task's reads are prefetched in its
      // first milliseconds, so a round may pass between them (one in three runs needs 2-3 rounds).
      while (rounds < 10 && retries == 0) {
        val job = Future(sums(shuffled, sleepEvery = 500))
        while (!job.isCompleted) {
          broken += breakConnections(ports)
          Thread.sleep(10)
        }
        assert(Await.result(job, 3.minutes) == expectedSums(records))
        SparkInternals.drain(sc)
        retries = pluginStats.get(RETRIES) - retriesBefore
        rounds += 1
      }
      info(s"rounds: $rounds, connections broken: $broken, fabric reads retried: $retries")
      assert(broken > 0 && retries > 0, "no read in flight had its connection broken")
      assert(recovery.fetchFailures.isEmpty && recovery.stageRetries == 0,
        s"a live executor was blamed for a broken connection: ${recovery.fetchFailures}")
      assertPoolsRefill(sc)
    }
  }

  test("tcp: a serving executor crashes (Runtime.halt) during the reduce stage: recomputed, right result") {
    val marker = Files.createTempDirectory("efa-halt").resolve("crashed")
    withContext(conf("halt", "tcp")) { sc =>
      val recovery = countRecovery(sc)
      val shuffled = valueShuffle(sc, records)
      shuffled.count() // map outputs staged on both executors
      assert(sumsWhileAnExecutorCrashes(shuffled, marker) == expectedSums(records))
      SparkInternals.drain(sc)
      assert(Files.exists(marker), "no executor crashed")
      info(s"fetch failures: ${recovery.fetchFailures.size}, stage retries: ${recovery.stageRetries}")
      assertFabricSettles(sc)
    }
  }

  // Four reduce tasks per executor share its receive pool and rail, one reads while a GC-heavy
  // neighbour task churns the heap, and the other executor is SIGKILLed mid-reduce.
  test("tcp with 4 task slots per executor: a serving executor killed during the reduce beside a GC-heavy neighbour: right result and buffers back") {
    val marker = Files.createTempDirectory("efa-kill-4").resolve("killed")
    withContext(conf("kill-4-slots", "tcp").setMaster("local-cluster[2,4,1024]")) { sc =>
      val recovery = countRecovery(sc)
      val churn = Future(gcHeavyNeighbour(sc))
      val result = sumWhileKillingAnExecutor(sc, records, marker)
      Await.result(churn, 2.minutes)
      SparkInternals.drain(sc)
      assert(Files.exists(marker), "no executor was killed")
      assert(result == expectedSums(records))
      info(s"fetch failures: ${recovery.fetchFailures.size}, stage retries: ${recovery.stageRetries}")
      assertFabricSettles(sc)
    }
  }

  test("shm: an executor killed during the map stage: its staged outputs are recomputed, right result") {
    val marker = Files.createTempDirectory("efa-kill-map").resolve("killed")
    withContext(conf("kill-map", "shm")) { sc =>
      assert(sumsAfterAKillInTheMapStage(sc, records, marker) == expectedSums(records))
      assert(Files.exists(marker), "no executor was killed")
      assertFabricSettles(sc, lostPeers = 1)
    }
  }

  test("shm: a serving executor killed during the reduce stage: FetchFailed, recomputation, right result") {
    val marker = Files.createTempDirectory("efa-kill-shm").resolve("killed")
    withContext(conf("kill-shm", "shm")) { sc =>
      val recovery = countRecovery(sc)
      val t0 = System.nanoTime()
      val result = sumWhileKillingAnExecutor(sc, records, marker)
      val seconds = (System.nanoTime() - t0) / 1e9
      SparkInternals.drain(sc)
      assert(Files.exists(marker), "no executor was killed")
      assert(result == expectedSums(records))
      info(f"job with a killed serving executor: $seconds%.1f s, fetch failures: ${recovery.fetchFailures.size}, " +
        s"stage retries: ${recovery.stageRetries}")
      assert(recovery.fetchFailures.nonEmpty, "the reader did not report the lost map outputs as FetchFailed")
      assert(recovery.stageRetries > 0, "the lost map outputs were not recomputed")
      assertFabricSettles(sc, lostPeers = 1)
    }
  }
}

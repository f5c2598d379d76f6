package io.efashuffle.spark

import scala.concurrent.{Await, Future}
import scala.concurrent.ExecutionContext.Implicits.global
import scala.concurrent.duration._
import scala.util.Try

import org.apache.spark.{SparkConf, SparkContext, SparkInternals}
import org.apache.spark.shuffle.efa.registry.ShuffleCounter._
import org.apache.spark.sql.SparkSession
import org.scalatest.funsuite.AnyFunSuite

import io.efashuffle.spark.ClusterSupport._

/**
 * A real multi-host cluster on one machine ([[NetnsCluster]], needs root): a standalone Master and
 * the driver on the head host, three Workers each in a network namespace of its own, the plugin's
 * tcp provider on the namespaces' veth interface (not loopback), Spark's defaults otherwise
 * (`readHostLocalDisk=true` has nothing to do here: every executor is on another host). Every job
 * gives the built-in shuffle's result on the same cluster; a cable pulled mid-read and put back,
 * and a lossy, slow link, still give it, within a bounded wait.
 */
class MultiHostSuite extends AnyFunSuite with UsersJit {
  private val Hosts = 3
  private val records = 60000
  private val JobBound = 3.minutes

  /** Every job of the correctness test, each result comparable across shuffles. */
  private def jobs(sc: SparkContext): Map[String, Any] = Map(
    "groupByKey (skewed)" -> Jobs.groupBySkewed(sc, records = 60000),
    "join" -> Jobs.joinPairs(sc),
    "sortByKey (64 KiB records)" -> Jobs.sortLargeRecords(sc, recordBytes = 64 * 1024),
    "value sums" -> FaultJobs.sums(FaultJobs.valueShuffle(sc, records)))

  /** The namespaces, the cluster on them, the built-in shuffle's results, and the plugin's application. */
  private final class MultiHost extends AutoCloseable {
    val net: NetnsCluster = NetnsCluster.create(Hosts)
    private var cluster: StandaloneCluster = _
    var expected: Map[String, Any] = _
    var plugin: SparkSession = _
    try {
      cluster = StandaloneCluster.start(net.head, net.workerHosts, workerMemoryMb = 768)
      expected = withContext(appConf(ClusterConf.builtin("multihost-builtin"))) { sc =>
        awaitExecutors(sc)
        jobs(sc)
      }
      startPlugin()
    } catch {
      case e: Throwable =>
        close()
        throw e
    }

    /** (Re)starts the plugin's application, with `settings` on top of the defaults. */
    def startPlugin(settings: (String, String)*): Unit = {
      Option(plugin).foreach(_.stop())
      plugin = null
      plugin = SparkSession.builder().config(
        appConf(ClusterConf.withPlugin(ClusterConf.builtin("multihost-plugin"), "tcp"))
          .set("spark.shuffle.efa.nics", NetnsCluster.Nic).setAll(settings)).getOrCreate()
      awaitExecutors(plugin.sparkContext)
      assert(ExecutorProbes.awaitFabricStarts(plugin.sparkContext, Hosts), "executors' fabric starts did not end in 60 s")
    }

    def sc: SparkContext = plugin.sparkContext
    def executorLogs: String = (0 until Hosts).flatMap(cluster.executorLogs).mkString("\n")

    override def close(): Unit =
      try Option(plugin).foreach(_.stop())
      finally try Option(cluster).foreach(_.close()) finally net.close()

    /** One executor per host; the driver on the head; executors inherit their Worker's address. */
    private def appConf(conf: SparkConf): SparkConf =
      conf.setMaster(cluster.masterUrl)
        .set("spark.driver.host", NetnsCluster.HeadAddress)
        .set("spark.driver.bindAddress", NetnsCluster.HeadAddress)
        .remove("spark.executorEnv.SPARK_LOCAL_IP")
        .set("spark.executor.memory", "512m")
        .set("spark.executor.cores", "1")
        .set("spark.cores.max", Hosts.toString)

    private def awaitExecutors(sc: SparkContext): Unit = {
      val deadline = System.nanoTime() + 90.seconds.toNanos
      def hosts = sc.statusTracker.getExecutorInfos.map(_.host()).filter(_ != NetnsCluster.HeadAddress).toSet
      while (hosts.size < Hosts) {
        assert(System.nanoTime() < deadline, s"executors on $Hosts hosts did not register in 90 s: $hosts")
        Thread.sleep(200)
      }
      assert(hosts == (1 to Hosts).map(net.address).toSet, hosts)
    }
  }

  private var started: Option[Try[MultiHost]] = None

  /** The cluster, built by the first test that needs it; cancels the test where it cannot exist. */
  private def multiHost: MultiHost = {
    assume(NetnsCluster.unavailable.isEmpty, s"no multi-host cluster here: ${NetnsCluster.unavailable.mkString}")
    if (started.isEmpty) started = Some(Try(new MultiHost))
    started.get.get
  }

  override def afterAll(): Unit = try started.foreach(_.foreach(_.close())) finally super.afterAll()

  /** Waits for `job` at most [[JobBound]]: a hang fails the test instead of stalling the build. */
  private def bounded[T](what: String)(job: Future[T]): T =
    Try(Await.result(job, JobBound)).recover {
      case _: java.util.concurrent.TimeoutException => fail(s"$what did not finish in $JobBound: a hang")
    }.get

  test("three hosts over veth: every job equals the built-in shuffle, and its blocks crossed the hosts' links") {
    val m = multiHost
    val sc = m.sc
    assert(!sc.getConf.contains("spark.shuffle.readHostLocalDisk"), "Spark's default (true) must be in force")
    val fabricBefore = pluginStats.get(FABRIC_BYTES)
    val receivedBefore = (1 to Hosts).map(m.net.receivedBytes).sum
    val results = bounded("the plugin's jobs")(Future(jobs(sc)))
    val fabric = pluginStats.get(FABRIC_BYTES) - fabricBefore
    val received = (1 to Hosts).map(m.net.receivedBytes).sum - receivedBefore
    for ((name, result) <- m.expected) assert(results(name) == result, s"$name differs from the built-in shuffle")
    info(f"fabric reads ${fabric / 1048576.0}%.1f MiB; the hosts' interfaces received ${received / 1048576.0}%.1f MiB")
    assert(fabric > (1L << 20), s"only $fabric bytes crossed the fabric")
    assert(received >= fabric, s"the hosts' ${NetnsCluster.Nic} links received $received bytes, fewer than the $fabric read")
    val logs = m.executorLogs
    assert(logs.split("EFA shuffle on executor").length - 1 >= Hosts, logs.takeRight(4000))
    assert(logs.contains(s"domain=${NetnsCluster.Nic}"), logs.takeRight(4000))
  }

  test("5% loss and 20 ms delay on one host's link during jobs: right results, no hang") {
    val m = multiHost
    val applied = m.net.impair(1, lossPercent = 5, delayMs = 20)
    info(applied)
    val fabricBefore = pluginStats.get(FABRIC_BYTES)
    val t0 = System.nanoTime()
    val results = try bounded("the jobs on a lossy link")(Future(jobs(m.sc))) finally m.net.clearImpairment(1)
    info(f"jobs on a lossy link: ${(System.nanoTime() - t0) / 1e9}%.1f s")
    for ((name, result) <- m.expected) assert(results(name) == result, s"$name differs from the built-in shuffle")
    assert(pluginStats.get(FABRIC_BYTES) > fabricBefore, "nothing crossed the fabric")
  }

  /**
   * Small read windows and uncompressed blocks (about 1 MiB per reducer from each host), so a
   * reducer is still reading from host 2 when its cable goes; the defaults (48 MiB in flight)
   * would have fetched everything before.
   */
  private val ReadingWhenPulled = Seq(
    "spark.shuffle.compress" -> "false",
    "spark.shuffle.efa.receive.poolSize" -> "1m",
    "spark.shuffle.efa.receive.bufferSize" -> "64k",
    "spark.shuffle.efa.reader.maxBytesInFlight" -> "128k")

  /**
   * Sums a value shuffle whose map outputs are on every host while host 2's cable is out for
   * `outMillis`, pulled once the reduce stage reads; the job must still be running when the cable
   * is back, and give the right result. Returns a summary line and what Spark's recovery did.
   */
  private def sumsWithCablePulled(m: MultiHost, outMillis: Long): (String, RecoveryCounter) = {
    val sc = m.sc
    val recovery = countRecovery(sc)
    val shuffled = FaultJobs.valueShuffle(sc, records)
    shuffled.count() // map outputs staged on every host: the next job is its reduce stage only
    val servers = SparkInternals.mapOutputHosts(sc, SparkInternals.shuffleId(shuffled))
    assert(servers.contains(m.net.address(2)), s"host 2 holds no map output: $servers")
    val retriesBefore = pluginStats.get(RETRIES)
    val t0 = System.nanoTime()
    val job = Future(FaultJobs.sums(shuffled, sleepEvery = 10))
    def reduceStage = sc.statusTracker.getActiveStageIds.flatMap(sc.statusTracker.getStageInfo(_))
    while (reduceStage.forall(_.numActiveTasks == 0) && System.nanoTime() - t0 < 60.seconds.toNanos) Thread.sleep(20)
    Thread.sleep(300)
    val reading = reduceStage.exists(s => s.numCompletedTasks < s.numTasks)
    m.net.cableOut(2)
    try {
      assert(!m.net.carrier(2), "host 2 still has a carrier")
      Thread.sleep(outMillis)
    } finally m.net.cableIn(2)
    val runningAfter = !job.isCompleted
    val result = bounded("the job after the cable was back")(job)
    val seconds = (System.nanoTime() - t0) / 1e9
    SparkInternals.drain(sc)
    assert(reading, "the reduce stage was not running when the cable was pulled")
    assert(runningAfter, "the job ended while the cable was out: it did not need host 2 then")
    assert(result == FaultJobs.expectedSums(records))
    assert(result == m.expected("value sums"))
    (f"job with the cable out ${outMillis / 1000.0}%.1f s: $seconds%.1f s, fetch failures: " +
      s"${recovery.fetchFailures.size}, stage retries: ${recovery.stageRetries}, plugin read retries: " +
      s"${pluginStats.get(RETRIES) - retriesBefore}", recovery)
  }

  // These restart the plugin's application (after the tests on the defaults).
  test("speculation: a straggling reducer's copy runs on another host, the original is killed mid-read") {
    val m = multiHost
    m.startPlugin(ReadingWhenPulled ++ Seq("spark.speculation" -> "true", "spark.speculation.interval" -> "100ms",
      "spark.speculation.multiplier" -> "1.5", "spark.speculation.quantile" -> "0.5",
      "spark.speculation.minTaskRuntime" -> "500ms"): _*)
    val sc = m.sc
    @volatile var speculative = 0
    @volatile var killed = 0
    sc.addSparkListener(new org.apache.spark.scheduler.SparkListener {
      override def onTaskEnd(e: org.apache.spark.scheduler.SparkListenerTaskEnd): Unit = {
        if (e.taskInfo.speculative) speculative += 1
        if (e.reason.isInstanceOf[org.apache.spark.TaskKilled]) killed += 1
      }
    })
    val shuffled = FaultJobs.valueShuffle(sc, records)
    shuffled.count()
    val result = bounded("the job with a straggler")(Future(FaultJobs.sumsWithAStraggler(shuffled, straggler = 1)))
    SparkInternals.drain(sc)
    assert(result == FaultJobs.expectedSums(records))
    info(s"speculative attempts: $speculative, killed attempts: $killed")
    assert(speculative > 0, "no speculative copy ran")
    val (refilled, pools) = receivePoolsRefilled(sc, Hosts)
    assert(refilled, s"receive buffers did not all come back: $pools")
  }

  test("a host's cable pulled for 4 s while reducers read from it, then put back: right result, no hang") {
    val m = multiHost
    m.startPlugin(ReadingWhenPulled: _*)
    info(sumsWithCablePulled(m, outMillis = 4000)._1)
  }

  test("a cable out longer than the operation timeout (1.5 s): reads time out, are retried or recomputed, no hang") {
    val m = multiHost
    m.startPlugin(ReadingWhenPulled :+ ("spark.shuffle.efa.transport.operationTimeoutMillis" -> "1500"): _*)
    val retriesBefore = pluginStats.get(RETRIES)
    val (summary, recovery) = sumsWithCablePulled(m, outMillis = 5000)
    info(summary)
    recovery.fetchFailures.take(3).foreach(f => info(f.linesIterator.next()))
    assert(pluginStats.get(RETRIES) > retriesBefore || recovery.fetchFailures.nonEmpty,
      "no read timed out while the cable was out past the operation timeout")
  }
}

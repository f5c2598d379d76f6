package org.apache.spark

import scala.concurrent.duration._
import scala.jdk.CollectionConverters._

import org.apache.spark.rdd.RDD

/** Spark-internal entry points the suites and benchmarks need (private to Spark's package). */
object SparkInternals {
  def shuffleId(shuffled: RDD[_]): Int = shuffled.dependencies.head.asInstanceOf[ShuffleDependency[_, _, _]].shuffleId

  /** A source's gauges and counters in this JVM's Spark metrics system (empty if absent). */
  def metrics(sourceName: String): Map[String, Long] = {
    val env = SparkEnv.get
    if (env == null) Map.empty
    else env.metricsSystem.getSourcesByName(sourceName).flatMap { s =>
      s.metricRegistry.getMetrics.asScala.collect {
        case (k, g: com.codahale.metrics.Gauge[_]) => k -> g.getValue.asInstanceOf[Number].longValue
        case (k, c: com.codahale.metrics.Counter) => k -> c.getCount
      }
    }.toMap
  }

  /** The shuffles of a SQL query's executed plan, inside AQE's query stages once it has run. */
  def sqlShuffleIds(df: org.apache.spark.sql.DataFrame): Seq[Int] = {
    import org.apache.spark.sql.execution.SparkPlan
    import org.apache.spark.sql.execution.adaptive.{AdaptiveSparkPlanExec, QueryStageExec}
    import org.apache.spark.sql.execution.exchange.ShuffleExchangeExec
    def nodes(p: SparkPlan): Seq[SparkPlan] = p +: (p match {
      case a: AdaptiveSparkPlanExec => nodes(a.executedPlan)
      case q: QueryStageExec => nodes(q.plan)
      case _ => p.children.flatMap(nodes)
    })
    nodes(df.queryExecution.executedPlan).collect { case e: ShuffleExchangeExec => e.shuffleDependency.shuffleId }
      .distinct
  }

  /** Every shuffle in an RDD's lineage. */
  def shuffleIds(rdd: RDD[_]): Seq[Int] = rdd.dependencies.flatMap {
    case s: ShuffleDependency[_, _, _] => s.shuffleId +: shuffleIds(s.rdd)
    case d => shuffleIds(d.rdd)
  }.distinct

  /** What the ContextCleaner does when a shuffle's RDD is garbage collected, now and blocking. */
  def cleanShuffle(sc: SparkContext, shuffleId: Int): Unit =
    sc.cleaner.getOrElse(throw new IllegalStateException("spark.cleaner is off"))
      .doCleanupShuffle(shuffleId, blocking = true)

  /** The hosts holding a shuffle's map outputs, as the driver's map output tracker knows them. */
  def mapOutputHosts(sc: SparkContext, shuffleId: Int): Set[String] =
    sc.env.mapOutputTracker.asInstanceOf[MapOutputTrackerMaster].shuffleStatuses(shuffleId).mapStatuses
      .filter(_ != null).map(_.location.host).toSet

  /** Whether a stage is a shuffle map stage (StageInfo.shuffleDepId is private to Spark). */
  def writesShuffle(info: org.apache.spark.scheduler.StageInfo): Boolean = info.shuffleDepId.isDefined

  /** The executors the scheduler has now (not the driver); dynamic allocation adds and removes them. */
  def executorIds(sc: SparkContext): Seq[String] = sc.getExecutorIds()

  /** (executor id, host) of each executor the block manager master knows, by executor id. */
  def executorHosts(sc: SparkContext): Seq[(String, String)] =
    sc.env.blockManager.master.getMemoryStatus.keys.toSeq.filterNot(_.isDriver)
      .map(b => b.executorId -> b.host).sortBy(_._1)

  /** The preferred-location string that names one executor (TaskLocation's "executor_host_id"). */
  def executorLocation(executorId: String, host: String): String =
    org.apache.spark.scheduler.ExecutorCacheTaskLocation(host, executorId).toString

  /**
   * Runs `body` with `spark.locality.wait` set to `wait` on the running context: task sets
   * submitted meanwhile wait that long for their preferred executor (TaskSetManager reads the
   * setting when it is created).
   */
  def withLocalityWait[T](sc: SparkContext, wait: String)(body: => T): T = {
    val before = sc.conf.getOption("spark.locality.wait")
    sc.conf.set("spark.locality.wait", wait)
    try body finally before match {
      case Some(v) => sc.conf.set("spark.locality.wait", v)
      case None => sc.conf.remove("spark.locality.wait")
    }
  }

  /** Waits until listeners have seen every event so far. */
  def drain(sc: SparkContext): Unit = sc.listenerBus.waitUntilEmpty()

  /** Runs only the map stage of a shuffle, so the reduce stage can be timed on its own. */
  def runMapStage[K, V](sc: SparkContext, shuffled: RDD[(K, V)]): Unit = {
    val dep = shuffled.dependencies.head.asInstanceOf[ShuffleDependency[K, V, V]]
    org.apache.spark.util.ThreadUtils.awaitResult(sc.submitMapStage(dep), 1.hour)
  }

  /** (executor id, map task attempt id) of every registered map output of a shuffle. */
  def mapOutputs(sc: SparkContext, shuffleId: Int): Seq[(String, Long)] =
    sc.env.mapOutputTracker.asInstanceOf[MapOutputTrackerMaster].shuffleStatuses(shuffleId)
      .mapStatuses.toSeq.filter(_ != null).map(s => (s.location.executorId, s.mapId))

  /**
   * Every registered shuffle's map-output checksums, by map index: Spark SQL's order-independent
   * checksum of each map task's records (`spark.sql.shuffle.orderIndependentChecksum.enabled`), 0 without.
   */
  def mapChecksums(sc: SparkContext): Map[Int, Seq[Long]] =
    sc.env.mapOutputTracker.asInstanceOf[MapOutputTrackerMaster].shuffleStatuses.map { case (id, status) =>
      id -> status.mapStatuses.toSeq.map(s => if (s == null) -1L else s.checksumValue)
    }.toMap

  /** Asks this executor's BlockManager why a block might be corrupt, as Spark's fetcher does. */
  def diagnoseCorruption(shuffleId: Int, mapId: Long, reduceId: Int, checksumByReader: Long): String =
    SparkEnv.get.blockManager.diagnoseShuffleBlockCorruption(
      org.apache.spark.storage.ShuffleBlockId(shuffleId, mapId, reduceId), checksumByReader, "ADLER32").toString

  /** Decommissions an executor as a cluster manager would (Spark's own decommission suites do this). */
  def decommissionExecutor(sc: SparkContext, executorId: String): Unit =
    sc.schedulerBackend.asInstanceOf[org.apache.spark.scheduler.cluster.CoarseGrainedSchedulerBackend]
      .decommissionExecutor(executorId, org.apache.spark.scheduler.ExecutorDecommissionInfo("test"),
        adjustTargetNumExecutors = true)

  /** The block names this JVM's shuffle resolver says make up a map output (what the external shuffle service deletes). */
  def blocksForShuffle(shuffleId: Int, mapId: Long): Seq[String] =
    SparkEnv.get.shuffleManager.shuffleBlockResolver.getBlocksForShuffle(shuffleId, mapId).map(_.name)
  /**
   * A Spark RpcEnv as a driver's, listening on `host` (any free port), with the endpoint `endpoint`
   * makes under `name`; `served(message, nanos)` is told how long the endpoint took with each
   * message, reply included (one message at a time: a thread-safe endpoint's inbox is serial).
   * Returns its port and how to stop it.
   */
  def driverRpcEnv(host: String, conf: SparkConf, name: String,
      endpoint: org.apache.spark.rpc.RpcEnv => org.apache.spark.rpc.ThreadSafeRpcEndpoint,
      served: (Any, Long) => Unit): (Int, () => Unit) = {
    import org.apache.spark.rpc.{RpcAddress, RpcCallContext, ThreadSafeRpcEndpoint}
    val env = org.apache.spark.rpc.RpcEnv.create("sparkDriver", host, host, 0, conf, new SecurityManager(conf), 1, false)
    val inner = endpoint(env)
    def timed(handler: PartialFunction[Any, Unit]): PartialFunction[Any, Unit] = {
      case m if handler.isDefinedAt(m) =>
        val t0 = System.nanoTime()
        try handler(m) finally served(m, System.nanoTime() - t0)
    }
    env.setupEndpoint(name, new ThreadSafeRpcEndpoint {
      override val rpcEnv: org.apache.spark.rpc.RpcEnv = env
      override def receive: PartialFunction[Any, Unit] = timed(inner.receive)
      override def receiveAndReply(context: RpcCallContext): PartialFunction[Any, Unit] =
        timed(inner.receiveAndReply(context))
      override def onDisconnected(address: RpcAddress): Unit = inner.onDisconnected(address)
    })
    (env.address.port, () => env.shutdown())
  }

  /**
   * A Spark RpcEnv as an executor's: in client mode it connects out and serves nothing, so the
   * driver sees each such RpcEnv's connection at an address of its own and learns of its loss when
   * it disconnects. Returns what `connect` makes of it and how to stop it.
   */
  def executorRpcEnv[T](name: String, host: String, conf: SparkConf,
      connect: org.apache.spark.rpc.RpcEnv => T): (T, () => Unit) = {
    val env = org.apache.spark.rpc.RpcEnv.create(name, host, host, 0, conf, new SecurityManager(conf), 1, true)
    val stop = () => { env.shutdown(); env.awaitTermination() }
    try (connect(env), stop) catch { case e: Throwable => stop(); throw e }
  }

  /** What Spark's MapOutputTrackerMaster holds and serializes for one shuffle's map statuses. */
  final case class TrackerCost(heapBytes: Long, serializeNanos: Long, serializedBytes: Long)

  /**
   * Registers `maps` map statuses of `reducers` partitions each (sizes from `size`, executors
   * round-robin) with a fresh MapOutputTrackerMaster, as the DAGScheduler does, and measures the
   * heap they hold (`usedAfterGc`, before and after) and the one serialization a driver makes of
   * them for executors' GetMapOutputStatuses (Spark caches it; above 512 KiB it then broadcasts it).
   */
  def trackerCost(maps: Int, reducers: Int, executors: Int, size: (Int, Int) => Long, usedAfterGc: () => Long): TrackerCost = {
    val conf = new SparkConf(false)
    val broadcasts = new org.apache.spark.broadcast.BroadcastManager(true, conf)
    val tracker = new MapOutputTrackerMaster(conf, broadcasts, true)
    try {
      val before = usedAfterGc()
      tracker.registerShuffle(0, maps, reducers)
      val hosts = (0 until executors).map(e => org.apache.spark.storage.BlockManagerId(s"$e", s"10.0.${e >> 8}.${e & 255}", 7337))
      for (m <- 0 until maps) {
        tracker.registerMapOutput(0, m,
          org.apache.spark.scheduler.MapStatus(hosts(m % executors), Array.tabulate(reducers)(r => size(m, r)), m.toLong))
      }
      val heap = usedAfterGc() - before
      val status = tracker.shuffleStatuses(0)
      val t0 = System.nanoTime()
      val bytes = status.serializedMapStatus(broadcasts, true, Int.MaxValue, conf)
      val took = System.nanoTime() - t0
      TrackerCost(heap, took, bytes.length.toLong)
    } finally {
      tracker.unregisterShuffle(0)
      broadcasts.stop()
    }
  }
}

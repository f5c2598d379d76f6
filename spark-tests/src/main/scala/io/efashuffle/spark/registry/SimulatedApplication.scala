package io.efashuffle.spark.registry

import java.util.concurrent.{Callable, ConcurrentHashMap, Executors, Future, TimeUnit}
import java.util.concurrent.atomic.{AtomicBoolean, AtomicLong}
import java.util.concurrent.locks.LockSupport

import scala.collection.mutable.ArrayBuffer
import scala.jdk.CollectionConverters._
import scala.util.control.NonFatal

/**
 * The synthetic application's shape: `executors` join in `waves` (dynamic allocation), one shuffle
 * of `maps` map tasks and `reducers` reduce tasks runs at `taskRate` tasks a second across the
 * cluster, `lost` of the executors go mid-map-stage (half withdraw first, half just vanish, as
 * spot nodes do) and as many replacements join, and during the reduce stage `waiting` executors
 * have reads waiting on one paused server (each probes the driver at the plugin's interval).
 */
final case class AppShape(executors: Int, maps: Int, reducers: Int, waves: Int = 4, lost: Int = -1, waiting: Int = -1,
    taskRate: Int = 2000, syncIntervalMs: Long = 1000, probeIntervalMs: Long = 250, checkedReaders: Int = 8,
    shuffleId: Int = 0, appId: String = "app-20261207000000-0000") {
  require(executors >= 2 && maps >= 1 && reducers >= 1 && waves >= 1 && taskRate >= 1,
    s"an application needs at least 2 executors, a map, a reducer, a wave and a task a second: $this")
  /** Executors lost mid-map-stage: 5% by default, at least one. */
  val lostExecutors: Int = if (lost >= 0) math.min(lost, executors - 2) else math.max(1, executors / 20)
  /** Executors whose reads wait on the paused server: a tenth by default, at least one. */
  val waitingExecutors: Int = if (waiting >= 0) math.min(waiting, executors - 1) else math.max(1, executors / 10)
}

/** The driver's cost in one phase of the application, and what the simulated executors sent in it. */
final case class PhaseCost(name: String, seconds: Double, cpuSec: Double, handlerCpuSec: Double, messages: Map[String, Long])

/** One application's run: the driver's costs, the executors' waits, and what was wrong. */
final case class AppRun(shape: AppShape, phases: Seq[PhaseCost], waits: Map[String, Array[Long]], allWaits: Array[Long],
    joinToServable: Array[Long],
    /** Driver heap per joined executor: its segment, its place in the peer log, its RpcEnv connection. */
    heapPerExecutor: Double,
    /**
     * What the registry held at the end (segments, map outputs, peer log and the encoded location
     * table): heap before and after clearing it, with no message in flight.
     */
    registryHeap: Long,
    lookupNotYet: Long, problems: Seq[String],
    /** The driver's own time per message, by kind (`KIND.n`, `KIND.p50`, `KIND.p99` in microseconds; `all.p99`). */
    served: Map[String, Long] = Map.empty) {
  def phase(name: String): PhaseCost = phases.find(_.name == name).get
}

/**
 * Runs one synthetic application against a [[RegistryDriverProcess]] with real RpcEnv executors
 * ([[SimulatedExecutor]]) on loopback, phase by phase (join, map, reduce), measuring the driver
 * between phases, and checks the protocol's invariants at the end: every executor that joined
 * is servable by every live peer, every departed executor's segment and outputs are gone from
 * the driver, every map output is listed, and every ask was answered.
 */
object SimulatedApplication {
  /**
   * A small application on shuffle 1 first, so that the measured one meets a driver whose code
   * is compiled, as a long-lived driver's is; the registry is cleared after it (`registryHeap`).
   */
  def warmUp(driver: RegistryDriverProcess): Unit = {
    val r = run(AppShape(executors = 8, maps = 20_000, reducers = 400, waves = 2, taskRate = 20_000, shuffleId = 1,
      syncIntervalMs = 100, appId = "app-20261207000000-9999"), driver)
    require(r.problems.isEmpty, s"the warm-up application went wrong: ${r.problems.mkString("; ")}")
  }

  def run(shape: AppShape, driver: RegistryDriverProcess, progress: String => Unit = _ => ()): AppRun = {
    val ShuffleId = shape.shuffleId
    val log = new MessageLog
    val appId = shape.appId
    val capacity = shape.executors + shape.lostExecutors
    val gate = new ServableGate(capacity)
    val workers = Executors.newFixedThreadPool(32)
    val syncs = Executors.newScheduledThreadPool(8)
    val live = new ConcurrentHashMap[Integer, SimulatedExecutor]()
    val everyone = new ArrayBuffer[SimulatedExecutor]()
    val stopped = new AtomicBoolean()
    val problems = new ArrayBuffer[String]()
    val phases = new ArrayBuffer[PhaseCost]()
    val heapStart = driver.askLong("heap")("heap")
    var last = (System.nanoTime(), driver.askLong("measure"), log.counted)
    def phaseEnds(name: String): Unit = {
      val now = (System.nanoTime(), driver.askLong("measure"), log.counted)
      val (t0, m0, c0) = last
      phases += PhaseCost(name, (now._1 - t0) / 1e9, (now._2("cpuNanos") - m0("cpuNanos")) / 1e9,
        (now._2("dispatcherCpuNanos") - m0("dispatcherCpuNanos")) / 1e9,
        now._3.map { case (k, v) => k -> (v - c0.getOrElse(k, 0L)) }.filter(_._2 > 0))
      last = now
    }
    def async[T](body: => T): Future[T] = workers.submit(new Callable[T] { override def call(): T = body })
    def liveNow: Seq[SimulatedExecutor] = live.values.asScala.toSeq.sortBy(_.index)

    def syncLoop(e: SimulatedExecutor): Unit = if (!stopped.get && live.containsKey(e.index)) {
      val changed = try e.sync((peer, at) => gate.known(e, peer, at)) catch { case NonFatal(_) => false }
      val next: Runnable = () => syncLoop(e)
      if (!stopped.get) syncs.schedule(next, if (changed) 0L else shape.syncIntervalMs, TimeUnit.MILLISECONDS)
    }
    def joinAll(indexes: Range): Unit = {
      val joined = indexes.map { i =>
        val e = new SimulatedExecutor(i, appId, driver.port, log)
        everyone.synchronized(everyone += e)
        async { gate.joining(e, System.nanoTime()); e.join(); e }
      }.map(_.get())
      joined.foreach { e => live.put(e.index, e); syncs.execute(() => syncLoop(e)) }
    }
    def awaitServable(what: String, within: Long): Unit = {
      val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(within)
      def pending = { val l = liveNow; l.filterNot(gate.servable(_, l)) }
      while (pending.nonEmpty && System.nanoTime() < deadline) Thread.sleep(50)
      val left = pending
      if (left.nonEmpty) problems += s"$what: ${left.size} executor(s) not servable by every peer within $within s " +
        s"(first: ${left.head.executorId})"
    }
    def paced(n: Int)(task: Int => Unit): Unit = {
      val start = System.nanoTime()
      for (i <- 0 until n) {
        val wait = start + i * 1_000_000_000L / shape.taskRate - System.nanoTime()
        if (wait > 0) LockSupport.parkNanos(wait)
        task(i)
      }
    }

    try {
      // Join, in waves.
      val perWave = (shape.executors + shape.waves - 1) / shape.waves
      (0 until shape.executors by perWave).foreach { from =>
        joinAll(from until math.min(shape.executors, from + perWave))
        progress(s"${live.size} of ${shape.executors} executors joined")
        Thread.sleep(shape.syncIntervalMs / 2)
      }
      awaitServable("after the joins", 120)
      phaseEnds("join")
      val heapJoined = driver.askLong("heap")("heap")

      // The map stage: outputs published one-way; mid-stage, executors lost and replaced, and
      // their outputs recomputed on live executors as new attempts (Spark's resubmission).
      val attempt = Array.tabulate[Long](shape.maps)(_.toLong)
      val owner = new Array[Int](shape.maps)
      def publish(mapIndex: Int, on: Seq[SimulatedExecutor], k: Int): Unit = {
        val e = on(k % on.size)
        owner(mapIndex) = e.index
        e.publishMapOutput(ShuffleId, mapIndex, attempt(mapIndex), shape.reducers)
      }
      val half = shape.maps / 2
      var executors = liveNow
      paced(half)(i => publish(i, executors, i))
      val gone = executors.takeRight(shape.lostExecutors + 1).dropRight(1) // the last one stays: it is the paused server
      gone.foreach(e => live.remove(e.index))
      gone.zipWithIndex.map { case (e, k) => async(e.leave(graceful = k % 2 == 0)) }.foreach(_.get())
      progress(s"${gone.size} executor(s) lost; ${gone.size} replacement(s) joining")
      joinAll(shape.executors until shape.executors + gone.size)
      executors = liveNow
      paced(shape.maps - half)(i => publish(half + i, executors, half + i))
      val goneIndexes = gone.map(_.index).toSet
      val recomputed = (0 until shape.maps).filter(m => goneIndexes.contains(owner(m)))
      recomputed.foreach(m => attempt(m) += shape.maps)
      paced(recomputed.size)(k => publish(recomputed(k), executors, k))
      awaitOutputs(driver, shape.maps, 60).foreach(problems += _)
      phaseEnds("map")
      progress(s"map stage done: ${shape.maps} outputs (${recomputed.size} recomputed)")

      // The reduce stage, with a tenth of the executors' reads waiting on a paused server.
      val wanted = new java.util.HashMap[Integer, java.lang.Long](shape.maps * 2)
      (0 until shape.maps).foreach(m => wanted.put(m, attempt(m)))
      val paused = executors.last
      val probes = executors.take(shape.waitingExecutors).map { e =>
        val probe: Runnable = () => try e.probe(paused.segmentName) catch { case NonFatal(_) => () }
        syncs.scheduleAtFixedRate(probe, 0, shape.probeIntervalMs, TimeUnit.MILLISECONDS)
      }
      val lastTask = (0 until shape.reducers).map(r => r % executors.size -> r).toMap
      val notYet = new AtomicLong()
      val tasks = new ArrayBuffer[Future[_]]()
      paced(shape.reducers) { r =>
        val k = r % executors.size
        val e = executors(k)
        tasks += async {
          val (_, held) = e.reduceTask(ShuffleId, wanted)
          notYet.addAndGet(held)
          if (lastTask(k) == r) e.removeShuffle(ShuffleId) // its cache is the simulator's memory, not the driver's
        }
      }
      tasks.foreach(_.get())
      probes.foreach(_.cancel(false))
      phaseEnds("reduce")
      progress(s"reduce stage done: ${shape.reducers} tasks")

      // The invariants.
      awaitServable("at the end", 60)
      val names = driver.ask("segments")("names").split(',').filter(_.nonEmpty).toSet
      val expected = liveNow.map(_.segmentName).toSet
      if (names != expected) problems += s"the driver lists ${names.size} segments, ${(names -- expected).size} of " +
        s"departed executors and ${(expected -- names).size} live ones missing"
      // A sample of readers asks afresh for every map output: each listed, at its last attempt, on a
      // live executor, and none held back now that every peer has inserted every other.
      liveNow.take(shape.checkedReaders).foreach { e =>
        e.removeShuffle(ShuffleId)
        val (found, held) = e.lookupAll(ShuffleId, wanted)
        val stale = found.filterNot(l => l.mapId == attempt(l.mapIndex) && expected.contains(l.segmentName))
        if (found.size != shape.maps || held != 0 || stale.nonEmpty) problems += s"executor ${e.executorId} was " +
          s"given ${found.size} of ${shape.maps} map outputs, ${stale.size} of them stale, and $held held back"
      }
      log.failures.take(5).foreach(f => problems += s"an ask failed: $f")
      // What the registry holds, measured with no message in flight.
      stopped.set(true)
      syncs.shutdownNow()
      syncs.awaitTermination(60, TimeUnit.SECONDS)
      val served = driver.askLong("served")
      val registryHeap = driver.askLong("registryHeap")
      AppRun(shape, phases.toSeq, log.counted.keys.map(k => k -> log.waitsOf(k)).toMap, log.allWaits,
        gate.joinToServable(liveNow), (heapJoined - heapStart).toDouble / shape.executors,
        registryHeap("heap") - registryHeap("cleared"), notYet.get,
        problems.toSeq, served)
    } finally {
      stopped.set(true)
      syncs.shutdownNow()
      val leaving = everyone.synchronized(everyone.toList).map(e => async(e.leave(graceful = false)))
      leaving.foreach(f => try f.get() catch { case NonFatal(_) => () })
      workers.shutdownNow()
    }
  }

  /** Waits until the driver lists `maps` outputs (they travel one-way); a problem if it does not. */
  private def awaitOutputs(driver: RegistryDriverProcess, maps: Int, within: Long): Option[String] = {
    val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(within)
    var listed = driver.askLong("measure")("mapOutputs")
    while (listed != maps && System.nanoTime() < deadline) {
      Thread.sleep(50)
      listed = driver.askLong("measure")("mapOutputs")
    }
    if (listed == maps) None else Some(s"the driver lists $listed map outputs of $maps")
  }
}

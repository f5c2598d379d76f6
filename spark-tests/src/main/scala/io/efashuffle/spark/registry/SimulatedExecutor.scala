package io.efashuffle.spark.registry

import java.util.concurrent.ConcurrentHashMap

import scala.jdk.CollectionConverters._

import io.efashuffle.transfer.engine.{BufferDescriptor, SegmentDescriptor}
import io.efashuffle.transfer.transport.EndpointAddresses
import org.apache.spark.{SparkConf, SparkInternals}
import org.apache.spark.shuffle.efa.registry.{DriverRegistryClient, MapOutputLocation, ShuffleCounter, ShuffleCounts,
  ShuffleLocationCache}

/**
 * One simulated executor: a real Spark RpcEnv in client mode (as an executor's is, so the driver
 * sees it at an address of its own and learns of its loss when it disconnects) and the plugin's
 * real client of the driver registry, sending what the plugin's executor sends: its segment
 * descriptor, its peer syncs (what [[org.apache.spark.shuffle.efa.registry.PeerSync]] asks), its
 * map outputs' locations, its reduce tasks' look-ups through the plugin's own
 * [[ShuffleLocationCache]] and their statistics, and its waiting reads' probes. Nothing here
 * touches a fabric: the descriptor has the size and shape of an EFA executor's.
 */
final class SimulatedExecutor(val index: Int, appId: String, driverPort: Int, log: MessageLog) {
  val executorId: String = s"$index"
  val segmentName: String = s"efa-shuffle/$appId/$executorId"

  private val conf = new SparkConf(false)
    .set("spark.driver.host", "127.0.0.1").set("spark.driver.port", driverPort.toString)
    .set("spark.rpc.askTimeout", "300s").set("spark.rpc.lookupTimeout", "120s")
    // One thread of each kind: a JVM holds hundreds of these executors.
    .set("spark.rpc.netty.dispatcher.numThreads", "1").set("spark.rpc.io.clientThreads", "1")
    .set("spark.rpc.connect.threads", "1")
  @volatile private var stop: () => Unit = () => ()
  @volatile private var client: DriverRegistryClient = _
  private val caches = new ConcurrentHashMap[Integer, ShuffleLocationCache]()
  /** The peer-change mark this executor has reached, and the peers it inserted since its last report. */
  @volatile var mark = 0L
  private var unreported: Seq[String] = Nil
  /** Asks cut short by this executor's own departure are not the driver's failures. */
  @volatile private var leaving = false

  private def ask[T](kind: String)(body: => T): T = log.ask(kind, leaving)(body)

  /** Connects and publishes the segment; returns when the driver has it. */
  def join(): Unit = {
    val (c, s) = ask("CONNECT")(SparkInternals.executorRpcEnv(s"sim-executor-$index", "127.0.0.1", conf,
      env => DriverRegistryClient.connect(conf, env, executorId)))
    client = c
    stop = s
    ask("PUBLISH_SEGMENT")(client.publish(SimulatedExecutor.descriptor(segmentName, index)))
  }

  /**
   * One peer sync, as the plugin's PeerSync thread makes it: reports the mark reached and inserts
   * what changed since. `known(peer, at)` is told, for each peer inserted by the previous sync,
   * when the driver learnt of it (this sync's answer). Returns whether anything changed (the
   * plugin then syncs again at once).
   */
  def sync(known: (String, Long) => Unit): Boolean = synchronized {
    val c = ask("SYNC_PEERS")(client.syncPeers(segmentName, mark))
    val now = System.nanoTime()
    unreported.foreach(known(_, now))
    unreported = c.joined().asScala.map(_.segmentName()).filterNot(_ == segmentName).toSeq
    val changed = c.through() != mark
    mark = c.through()
    changed
  }

  /** A map task's location, sent one-way ahead of its status update, as the plugin's writer sends it. */
  def publishMapOutput(shuffleId: Int, mapIndex: Int, mapId: Long, partitions: Int): Unit = {
    val at = SimulatedExecutor.ShuffleMemoryBase + (mapIndex.toLong << 16)
    client.publishMapOutput(new MapOutputLocation(shuffleId, mapIndex, mapId, executorId, segmentName,
      at, 60_000, at + 60_000, partitions, at + 60_000 + 8L * (partitions + 1)))
    log.sent("PUBLISH_MAP_OUTPUT")
  }

  /**
   * A reduce task: the staged locations of every map output it reads (map index to attempt),
   * asked through this executor's location cache, then its statistics sent one-way. Returns how
   * many map outputs it may read over the fabric and how many the driver held back (staged on a
   * server that has not inserted this executor yet).
   */
  def reduceTask(shuffleId: Int, wanted: java.util.Map[Integer, java.lang.Long]): (Int, Int) = {
    var notYet = 0
    val staged = caches.computeIfAbsent(shuffleId, _ => new ShuffleLocationCache()).staged(wanted, mapIndexes => {
      val reply = ask("LOOKUP_MAP_OUTPUTS")(client.lookupMapOutputs(shuffleId, mapIndexes))
      notYet += reply.notYetServable().size()
      reply
    })
    client.reportStats(ShuffleCounts.of(ShuffleCounter.FABRIC_BLOCKS, staged.size().toLong))
    log.sent("REPORT_STATS")
    (staged.size(), notYet)
  }

  /** One fresh look-up of every wanted map output: the entries listed, and how many were held back. */
  def lookupAll(shuffleId: Int, wanted: java.util.Map[Integer, java.lang.Long]): (Seq[MapOutputLocation], Int) = {
    val reply = ask("LOOKUP_MAP_OUTPUTS")(client.lookupMapOutputs(shuffleId, new java.util.ArrayList(wanted.keySet())))
    (reply.locations().asScala.toSeq, reply.notYetServable().size())
  }

  /** Forgets what this executor learnt of a shuffle (the plugin does so when Spark removes it). */
  def removeShuffle(shuffleId: Int): Unit = caches.remove(shuffleId)

  /** A waiting read's question about its server (PeerProbes): does the driver still list it? */
  def probe(server: String): Boolean = ask("LOOKUP_SEGMENT")(client.lookup(server).isPresent)

  /** Leaves: withdraws the segment first when `graceful`, else just goes (a spot loss: the driver sees the disconnect). */
  def leave(graceful: Boolean): Unit = {
    if (graceful) ask("REMOVE_SEGMENT")(client.remove(segmentName))
    leaving = true
    stop()
  }
}

object SimulatedExecutor {
  private val ShuffleMemoryBase = 0x7f00_0000_0000L

  /** An EFA executor's descriptor: one 32-byte endpoint name, shuffle memory and receive pool. */
  def descriptor(name: String, index: Int): SegmentDescriptor = {
    val address = Array.tabulate[Byte](32)(i => (index >>> (8 * (i % 4))).toByte)
    new SegmentDescriptor(name, "efa",
      new EndpointAddresses(java.util.List.of(address), java.util.Map.of(EndpointAddresses.ADDRESSING,
        EndpointAddresses.VIRTUAL)),
      java.util.List.of(new BufferDescriptor(ShuffleMemoryBase, 1L << 30, "cpu:0", Array(index.toLong)),
        new BufferDescriptor(ShuffleMemoryBase + (2L << 30), 64L << 20, "cpu:0", Array(index.toLong + 1))))
  }
}

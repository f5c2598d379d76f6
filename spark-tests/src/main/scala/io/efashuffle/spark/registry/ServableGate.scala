package io.efashuffle.spark.registry

import java.util.concurrent.ConcurrentHashMap

/**
 * The insert-ahead gate as the driver applies it: a server's outputs are handed to a reader once
 * the server has reported (with a peer sync the driver answered) a mark past the reader's join.
 * Per simulated executor it keeps which peers have so reported it, and the longest time any of
 * them took, counted from when both were there (a peer that joins later cannot know it sooner).
 */
final class ServableGate(capacity: Int) {
  private val publishedAt = new Array[Long](capacity)
  private val reporters = Array.fill(capacity)(new java.util.BitSet(capacity))
  private val slowest = new Array[Long](capacity)
  private val byName = new ConcurrentHashMap[String, Integer]()

  /** `e` is about to publish its segment (before any peer can be told of it). */
  def joining(e: SimulatedExecutor, at: Long): Unit = {
    publishedAt(e.index) = at
    byName.put(e.segmentName, e.index)
  }

  /** `by` has inserted `peer`, and the driver knew it at `at`. */
  def known(by: SimulatedExecutor, peer: String, at: Long): Unit = {
    val j = byName.get(peer)
    if (j != null) reporters(j).synchronized {
      reporters(j).set(by.index)
      slowest(j) = math.max(slowest(j), at - math.max(publishedAt(j), publishedAt(by.index)))
    }
  }

  /** Whether every one of `live` but `e` itself has inserted `e`. */
  def servable(e: SimulatedExecutor, live: Iterable[SimulatedExecutor]): Boolean = reporters(e.index).synchronized {
    live.forall(p => p.index == e.index || reporters(e.index).get(p.index))
  }

  /** From each executor's join until every peer could serve it, in nanoseconds, sorted. */
  def joinToServable(of: Iterable[SimulatedExecutor]): Array[Long] =
    of.map(e => reporters(e.index).synchronized(slowest(e.index))).toArray.sorted
}

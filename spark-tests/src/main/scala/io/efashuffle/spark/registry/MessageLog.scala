package io.efashuffle.spark.registry

import java.util.concurrent.{ConcurrentHashMap, ConcurrentLinkedQueue}
import java.util.concurrent.atomic.LongAdder

import scala.jdk.CollectionConverters._
import scala.util.control.NonFatal

/**
 * What the simulated executors sent to the driver registry, by message kind (the registry's own
 * wire names): how many, and for asks how long each waited for its answer. Asks that failed are
 * kept with their error: the simulator's "no ask unanswered" check reads them.
 */
final class MessageLog {
  private val counts = new ConcurrentHashMap[String, LongAdder]()
  private val waits = new ConcurrentHashMap[String, ConcurrentLinkedQueue[java.lang.Long]]()
  private val failed = new ConcurrentLinkedQueue[String]()

  /** A one-way message sent. */
  def sent(kind: String): Unit = counts.computeIfAbsent(kind, _ => new LongAdder).increment()

  /**
   * An ask, timed from the call until its answer is decoded; a failure is recorded (unless
   * `excused`: its executor is leaving) and rethrown.
   */
  def ask[T](kind: String, excused: => Boolean = false)(body: => T): T = {
    sent(kind)
    val t0 = System.nanoTime()
    try {
      val r = body
      waits.computeIfAbsent(kind, _ => new ConcurrentLinkedQueue[java.lang.Long]()).add(System.nanoTime() - t0)
      r
    } catch {
      case NonFatal(e) =>
        if (!excused) failed.add(s"$kind: $e")
        throw e
    }
  }

  /** A message of `kind` that took `nanos` (the driver's own time serving it). */
  def took(kind: String, nanos: Long): Unit = {
    sent(kind)
    waits.computeIfAbsent(kind, _ => new ConcurrentLinkedQueue[java.lang.Long]()).add(nanos)
  }

  def failures: Seq[String] = failed.asScala.toSeq

  /** Messages sent so far, by kind. */
  def counted: Map[String, Long] = counts.asScala.map { case (k, v) => k -> v.sum() }.toMap

  /** Answer waits so far of one kind, in nanoseconds, sorted. */
  def waitsOf(kind: String): Array[Long] =
    Option(waits.get(kind)).map(_.asScala.map(_.longValue).toArray.sorted).getOrElse(Array.empty)

  /** Every ask's wait so far, sorted. */
  def allWaits: Array[Long] = waits.values.asScala.flatMap(_.asScala.map(_.longValue)).toArray.sorted
}

object MessageLog {
  /** The q-th quantile (0..1) of sorted values, nearest rank; 0 when there are none. */
  def quantile(sorted: Array[Long], q: Double): Long =
    if (sorted.isEmpty) 0L else sorted(math.min(sorted.length - 1, math.ceil(q * sorted.length).toInt - 1 max 0))
}

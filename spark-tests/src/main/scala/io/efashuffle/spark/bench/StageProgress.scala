package io.efashuffle.spark.bench

import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger

import scala.jdk.CollectionConverters._

import org.apache.spark.SparkInternals
import org.apache.spark.scheduler.{SparkListener, SparkListenerStageCompleted, SparkListenerStageSubmitted,
  SparkListenerTaskEnd, StageInfo}

/**
 * Progress of the running stages on stderr, one line per active stage every `everyMs` (2 s), e.g.
 * `[terasort/efa-plugin] stage 3 (reduce): 5/8 tasks, 12.3 s`: a long job is not silent, and a
 * ticker (not the listener) prints, so a stage whose tasks all run long still shows its clock.
 */
final class StageProgress(label: String, everyMs: Long = 2000) extends SparkListener with AutoCloseable {
  private final class Active(val info: StageInfo, val started: Long) { val done = new AtomicInteger }
  private val active = new ConcurrentHashMap[Int, Active]()
  @volatile private var closed = false

  private val ticker = {
    val t = new Thread(() => {
      try {
        while (!closed) {
          Thread.sleep(everyMs)
          val now = System.nanoTime()
          active.values.asScala.toSeq.sortBy(_.info.stageId).foreach { a =>
            System.err.println(f"[$label] stage ${a.info.stageId} (${StageProgress.kind(a.info)}): " +
              f"${a.done.get}/${a.info.numTasks} tasks, ${(now - a.started) / 1e9}%.1f s")
          }
        }
      } catch { case _: InterruptedException => }
    }, s"spark-bench-progress-$label")
    t.setDaemon(true)
    t.start()
    t
  }

  override def onStageSubmitted(e: SparkListenerStageSubmitted): Unit =
    active.put(e.stageInfo.stageId, new Active(e.stageInfo, System.nanoTime()))

  override def onTaskEnd(e: SparkListenerTaskEnd): Unit =
    Option(active.get(e.stageId)).filter(_ => e.taskInfo.successful).foreach(_.done.incrementAndGet())

  override def onStageCompleted(e: SparkListenerStageCompleted): Unit = active.remove(e.stageInfo.stageId)

  override def close(): Unit = { closed = true; ticker.interrupt() }
}

object StageProgress {
  /** Parents of a stage are shuffle map stages, so a stage with parents reads shuffle data. */
  def kind(info: StageInfo): String =
    if (info.parentIds.nonEmpty && SparkInternals.writesShuffle(info)) "reduce+map"
    else if (info.parentIds.nonEmpty) "reduce"
    else if (SparkInternals.writesShuffle(info)) "map"
    else "scan"
}

package io.efashuffle.tpc

import org.apache.spark.scheduler.{SparkListener, SparkListenerTaskEnd}

/**
 * What the executors reported for a span of tasks: shuffle reads, fetch wait, task CPU, and the
 * tasks' run time and the shuffle writers' time blocked writing (zero in results files written
 * before they were recorded).
 */
final case class QueryMetrics(shuffleReadBytes: Long, shuffleBlocks: Long, fetchWaitMs: Long, taskCpuNs: Long,
    tasks: Long, failedTasks: Long, taskRunMs: Long = 0, shuffleWriteNs: Long = 0) {
  def -(o: QueryMetrics): QueryMetrics = QueryMetrics(shuffleReadBytes - o.shuffleReadBytes,
    shuffleBlocks - o.shuffleBlocks, fetchWaitMs - o.fetchWaitMs, taskCpuNs - o.taskCpuNs, tasks - o.tasks,
    failedTasks - o.failedTasks, taskRunMs - o.taskRunMs, shuffleWriteNs - o.shuffleWriteNs)

  /**
   * The share of the tasks' run time they spent blocked on the shuffle: waiting for fetches and
   * writing map outputs (serializing is the query's own work, the same on any shuffle). A shuffle
   * that cost nothing would make these tasks at most 1 / (1 - share) faster. None when unknown.
   */
  def shuffleShare: Option[Double] =
    if (taskRunMs <= 0) None else Some(math.min(1.0, (fetchWaitMs * 1e6 + shuffleWriteNs) / (taskRunMs * 1e6)))
}

object QueryMetrics {
  val Zero: QueryMetrics = QueryMetrics(0, 0, 0, 0, 0, 0)
}

/** Running totals over every task end of the application (queries run one at a time, so a span is a difference). */
final class TaskTotals extends SparkListener {
  private var totals = QueryMetrics.Zero

  def snapshot: QueryMetrics = synchronized(totals)

  override def onTaskEnd(e: SparkListenerTaskEnd): Unit = synchronized {
    val failed = if (e.reason == org.apache.spark.Success) 0 else 1
    totals = Option(e.taskMetrics).fold(totals.copy(tasks = totals.tasks + 1, failedTasks = totals.failedTasks + failed)) { m =>
      val r = m.shuffleReadMetrics
      QueryMetrics(totals.shuffleReadBytes + r.remoteBytesRead + r.localBytesRead,
        totals.shuffleBlocks + r.remoteBlocksFetched + r.localBlocksFetched, totals.fetchWaitMs + r.fetchWaitTime,
        totals.taskCpuNs + m.executorCpuTime, totals.tasks + 1, totals.failedTasks + failed,
        totals.taskRunMs + m.executorRunTime, totals.shuffleWriteNs + m.shuffleWriteMetrics.writeTime)
    }
  }
}

package io.efashuffle.tpc

import org.apache.spark.scheduler.{SparkListener, SparkListenerTaskEnd}

/** What the executors reported for a span of tasks: shuffle reads, fetch wait, task CPU. */
final case class QueryMetrics(shuffleReadBytes: Long, shuffleBlocks: Long, fetchWaitMs: Long, taskCpuNs: Long,
    tasks: Long, failedTasks: Long) {
  def -(o: QueryMetrics): QueryMetrics = QueryMetrics(shuffleReadBytes - o.shuffleReadBytes,
    shuffleBlocks - o.shuffleBlocks, fetchWaitMs - o.fetchWaitMs, taskCpuNs - o.taskCpuNs, tasks - o.tasks,
    failedTasks - o.failedTasks)
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
        totals.taskCpuNs + m.executorCpuTime, totals.tasks + 1, totals.failedTasks + failed)
    }
  }
}

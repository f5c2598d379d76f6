package io.efashuffle.tpc

import scala.jdk.CollectionConverters._

import com.fasterxml.jackson.databind.JsonNode

/**
 * One run of one query on one application: its wall time (parse, plan and execute, up to the
 * collected result), what its tasks did, and its canonical result; `error` when it failed.
 * `extra` holds what the runner's probe measured around the run where it can (a local cluster:
 * [[QueryRun.ExecutorCpuSec]], the executor processes' whole CPU; the plugin's bytes over the
 * fabric); tasks' own CPU is always in `metrics`.
 */
final case class QueryRun(query: String, run: Int, seconds: Double, metrics: QueryMetrics,
    result: Option[CanonicalResult], error: Option[String], extra: Map[String, Double] = Map.empty) {
  def failed: Boolean = error.isDefined
  def executorCpuSec: Option[Double] = extra.get(QueryRun.ExecutorCpuSec)

  def toJson: JsonNode = {
    val n = TpcData.Json.createObjectNode()
    n.put("type", "query").put("query", query).put("run", run).put("seconds", seconds)
      .put("shuffleReadBytes", metrics.shuffleReadBytes).put("shuffleBlocks", metrics.shuffleBlocks)
      .put("fetchWaitMs", metrics.fetchWaitMs).put("taskCpuNs", metrics.taskCpuNs).put("tasks", metrics.tasks)
      .put("failedTasks", metrics.failedTasks).put("taskRunMs", metrics.taskRunMs)
      .put("shuffleWriteNs", metrics.shuffleWriteNs)
    error.foreach(e => n.put("error", e))
    if (extra.nonEmpty) {
      val e = n.putObject("extra")
      extra.toSeq.sorted.foreach { case (k, v) => e.put(k, v) }
    }
    result.foreach { r =>
      val cols = n.putArray("columns")
      r.columns.foreach(c => cols.add(c))
      val floating = n.putArray("floating")
      r.floating.toSeq.sorted.foreach(i => floating.add(i))
      val rows = n.putArray("rows")
      r.rows.foreach { row => val a = rows.addArray(); row.foreach(c => a.add(c)) }
    }
    n
  }
}

object QueryRun {
  val ExecutorCpuSec = "executorCpuSec"

  /** A run from its JSON line (a results file's, or spark-bench's side protocol's). */
  def parse(line: String): QueryRun = fromJson(TpcData.Json.readTree(line))

  def fromJson(n: JsonNode): QueryRun = {
    def long(k: String) = Option(n.get(k)).map(_.asLong).getOrElse(0L)
    def strings(a: JsonNode): Seq[String] = a.elements().asScala.map(_.asText).toSeq
    val result = Option(n.get("columns")).map { cols =>
      CanonicalResult(strings(cols), n.get("floating").elements().asScala.map(_.asInt).toSet,
        n.get("rows").elements().asScala.map(strings).toSeq)
    }
    QueryRun(n.get("query").asText, n.get("run").asInt, n.get("seconds").asDouble,
      QueryMetrics(long("shuffleReadBytes"), long("shuffleBlocks"), long("fetchWaitMs"), long("taskCpuNs"),
        long("tasks"), long("failedTasks"), long("taskRunMs"), long("shuffleWriteNs")), result, Option(n.get("error")).map(_.asText),
      Option(n.get("extra")).map(_.properties().asScala.map(e => e.getKey -> e.getValue.asDouble).toMap).getOrElse(Map.empty))
  }
}

package io.efashuffle.tpc

import java.io.{File, FileOutputStream, OutputStreamWriter, PrintWriter}
import java.nio.charset.StandardCharsets
import java.nio.file.Files

import scala.jdk.CollectionConverters._

import com.fasterxml.jackson.databind.node.ObjectNode

/**
 * A run's results file, JSON lines: a header (suite, scale factor, shuffle, application, Spark
 * version, settings) and then one line per query run, appended as each run ends, so a run that
 * dies leaves what it measured.
 */
final case class RunHeader(suite: String, scaleFactor: String, label: String, shuffleManager: String, app: String,
    sparkVersion: String, settings: Map[String, String]) {
  def toJson: ObjectNode = {
    val n = TpcData.Json.createObjectNode()
    n.put("type", "run").put("suite", suite).put("scaleFactor", scaleFactor).put("label", label)
      .put("shuffleManager", shuffleManager).put("app", app).put("sparkVersion", sparkVersion)
    val s = n.putObject("settings")
    settings.toSeq.sorted.foreach { case (k, v) => s.put(k, v) }
    n
  }
}

final class ResultsWriter(file: File, header: RunHeader) extends AutoCloseable {
  Option(file.getAbsoluteFile.getParentFile).foreach(_.mkdirs())
  private val out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(file), StandardCharsets.UTF_8))
  write(header.toJson.toString)

  def append(run: QueryRun): Unit = write(run.toJson.toString)

  private def write(line: String): Unit = synchronized { out.println(line); out.flush() }

  override def close(): Unit = out.close()
}

object ResultsFile {
  final case class Contents(header: RunHeader, runs: Seq[QueryRun])

  def read(file: File): Contents = {
    val lines = Files.readAllLines(file.toPath, StandardCharsets.UTF_8).asScala.filter(_.trim.nonEmpty)
    if (lines.isEmpty) throw new IllegalArgumentException(s"$file is empty: not a tpc-bench results file")
    val nodes = lines.map(TpcData.Json.readTree)
    val h = nodes.head
    if (Option(h.get("type")).map(_.asText) != Some("run")) {
      throw new IllegalArgumentException(s"$file does not start with a tpc-bench run header")
    }
    val settings = Option(h.get("settings")).map(_.fields().asScala.map(e => e.getKey -> e.getValue.asText).toMap)
      .getOrElse(Map.empty)
    Contents(RunHeader(h.get("suite").asText, h.get("scaleFactor").asText, h.get("label").asText,
      h.get("shuffleManager").asText, h.get("app").asText, h.get("sparkVersion").asText, settings),
      nodes.tail.filter(n => Option(n.get("type")).map(_.asText).contains("query")).map(QueryRun.fromJson).toSeq)
  }
}

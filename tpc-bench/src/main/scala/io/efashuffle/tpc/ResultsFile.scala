package io.efashuffle.tpc

import java.io.{File, FileOutputStream, OutputStreamWriter, PrintWriter}
import java.nio.charset.StandardCharsets

import scala.jdk.CollectionConverters._

import com.fasterxml.jackson.databind.node.ObjectNode
import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.Path
import org.apache.spark.sql.SparkSession

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

/**
 * Writes a results file line by line. On a Hadoop file system other than the local one (a
 * cluster-mode driver's results to `s3a://`, `hdfs://`) the lines go to a local file first,
 * copied there after every run, so the file survives the driver's pod.
 */
object RunHeader {
  /** This application's header: its shuffle manager and every `spark.shuffle*` setting it runs with. */
  def of(spark: SparkSession, suite: TpcSuite, scaleFactor: Double, label: String): RunHeader = {
    val conf = spark.sparkContext.getConf
    RunHeader(suite.name, TpcData.sfLabel(scaleFactor), label, conf.get("spark.shuffle.manager", "sort"),
      spark.sparkContext.applicationId, org.apache.spark.SPARK_VERSION, conf.getAll.filter(_._1.startsWith("spark.shuffle")).toMap)
  }
}

final class ResultsWriter(target: String, header: RunHeader, hadoopConf: Configuration = new Configuration())
    extends AutoCloseable {
  private val path = new Path(target)
  private val remote = Option(path.toUri.getScheme).exists(_ != "file")
  private val local = if (remote) File.createTempFile("tpc-results", ".jsonl") else new File(path.toUri.getPath)
  Option(local.getAbsoluteFile.getParentFile).foreach(_.mkdirs())
  private val out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(local), StandardCharsets.UTF_8))
  write(header.toJson.toString)

  def append(run: QueryRun): Unit = write(run.toJson.toString)

  private def write(line: String): Unit = synchronized {
    out.println(line)
    out.flush()
    if (remote) path.getFileSystem(hadoopConf).copyFromLocalFile(false, true, new Path(local.toURI), path)
  }

  override def close(): Unit = {
    out.close()
    if (remote) local.delete()
  }
}

object ResultsFile {
  final case class Contents(header: RunHeader, runs: Seq[QueryRun])

  def read(file: File): Contents = read(file.getPath)

  /** A results file on any Hadoop file system (a local path, `s3a://`, `hdfs://`). */
  def read(file: String, hadoopConf: Configuration = new Configuration()): Contents = {
    val path = new Path(file)
    val in = path.getFileSystem(hadoopConf).open(path)
    val text = try new String(in.readAllBytes(), StandardCharsets.UTF_8) finally in.close()
    val lines = text.linesIterator.filter(_.trim.nonEmpty).toSeq
    if (lines.isEmpty) throw new IllegalArgumentException(s"$file is empty: not a tpc-bench results file")
    val nodes = lines.map(TpcData.Json.readTree)
    val h = nodes.head
    if (Option(h.get("type")).map(_.asText) != Some("run")) {
      throw new IllegalArgumentException(s"$file does not start with a tpc-bench run header")
    }
    val settings = Option(h.get("settings")).map(_.properties().asScala.map(e => e.getKey -> e.getValue.asText).toMap)
      .getOrElse(Map.empty)
    Contents(RunHeader(h.get("suite").asText, h.get("scaleFactor").asText, h.get("label").asText,
      h.get("shuffleManager").asText, h.get("app").asText, h.get("sparkVersion").asText, settings),
      nodes.tail.filter(n => Option(n.get("type")).map(_.asText).contains("query")).map(QueryRun.fromJson).toSeq)
  }
}

package io.efashuffle.tpc

import java.nio.charset.StandardCharsets

import scala.util.{Failure, Success, Try}

import com.fasterxml.jackson.databind.{JsonNode, ObjectMapper}
import com.fasterxml.jackson.databind.node.ObjectNode
import org.apache.hadoop.fs.{FileSystem, Path}
import org.apache.spark.sql.SparkSession

/**
 * A suite's data as Parquet under one directory of any Hadoop file system (a local path,
 * `hdfs://`, `s3a://`): a folder per table and a manifest written last. The manifest names the
 * suite, scale factor, generator, each table's columns and row count; a cache is used only if it
 * matches all of them (row counts read back from the Parquet files), otherwise each table is
 * generated again, as a Spark job whose tasks are the generator's chunks. Only the suite's table
 * folders and the manifest are ever deleted under the directory.
 */
final class TpcData(spark: SparkSession, val suite: TpcSuite, val scaleFactor: Double, val root: String,
    rowsPerChunk: Long = TpcData.DefaultRowsPerChunk, log: String => Unit = msg => System.err.println(msg)) {
  private val tables = suite.tables
  private val rootPath = new Path(root)
  private def fs: FileSystem = rootPath.getFileSystem(spark.sparkContext.hadoopConfiguration)
  private def manifestPath = new Path(rootPath, TpcData.ManifestName)
  private def tablePath(t: String) = new Path(rootPath, t)

  /** What a manifest must say of the data besides its tables: written by `generate`, checked by `cacheProblem`. */
  private def identity: Seq[(String, String)] = Seq("suite" -> suite.name, "scaleFactor" -> TpcData.sfLabel(scaleFactor),
    "generator" -> tables.generator, "layout" -> TpcData.Layout.toString)

  /** Why the cache cannot be used, or None when it can. */
  def cacheProblem(): Option[String] = Try(readManifest()) match {
    case Failure(e) => Some(s"its manifest is unreadable ($e)")
    case Success(None) => Some(s"no ${TpcData.ManifestName} (never generated, or generation did not finish)")
    case Success(Some(m)) =>
      def field(k: String) = Option(m.get(k)).map(_.asText).getOrElse("")
      identity.collectFirst { case (k, v) if field(k) != v => s"it was made with $k=${field(k)}, this run needs $v" }
        .orElse(Option(m.get("tables")) match {
          case Some(recorded: ObjectNode) => tables.names.iterator.flatMap(t => tableProblem(t, Option(recorded.get(t)))).nextOption()
          case _ => Some("its manifest lists no tables")
        })
  }

  /** What is wrong with one table against its manifest entry: missing, other columns, other row count. */
  private def tableProblem(t: String, entry: Option[JsonNode]): Option[String] = entry match {
    case None => Some(s"table $t is missing from it")
    case Some(e) if Option(e.get("columns")).map(_.asText) != Some(tables.ddl(t)) => Some(s"table $t has other columns")
    case Some(e) =>
      val recorded = Option(e.get("rows")).map(_.asLong).getOrElse(-1L)
      Try(spark.read.parquet(tablePath(t).toString).count()).toOption match {
        case Some(rows) if rows == recorded => None
        case found => Some(s"table $t has ${found.map(_.toString).getOrElse("unreadable")} rows, the manifest says $recorded")
      }
  }

  /** Uses the cache when it matches, otherwise (re)generates every table; returns what it did. */
  def ensure(): String = cacheProblem() match {
    case None =>
      val msg = s"${suite.name} sf ${TpcData.sfLabel(scaleFactor)}: using the cached data in $root"
      log(msg)
      msg
    case Some(problem) =>
      log(s"${suite.name} sf ${TpcData.sfLabel(scaleFactor)}: generating into $root (the cache is not usable: $problem)")
      generate()
      s"generated ${suite.name} sf ${TpcData.sfLabel(scaleFactor)} into $root"
  }

  /** Deletes the manifest first (a half-written cache is never taken for a whole one), then writes each table. */
  def generate(): Unit = {
    fs.delete(manifestPath, false)
    val manifest = TpcData.Json.createObjectNode()
    identity.foreach { case (k, v) => manifest.put(k, v) }
    val entries = manifest.putObject("tables")
    val t0 = System.nanoTime()
    tables.names.zipWithIndex.foreach { case (t, i) =>
      val chunks = tables.chunks(t, scaleFactor, rowsPerChunk)
      val started = System.nanoTime()
      fs.delete(tablePath(t), true)
      val (suiteName, sf) = (suite.name, scaleFactor)
      val rdd = spark.sparkContext.parallelize(1 to chunks, chunks)
        .mapPartitions(_.flatMap(c => TpcSuite.named(suiteName).tables.chunkRows(t, sf, c, chunks)))
      spark.sparkContext.setJobDescription(s"generate ${suite.name} $t ($chunks chunks)")
      spark.createDataFrame(rdd, tables.schema(t)).write.mode("overwrite").parquet(tablePath(t).toString)
      spark.sparkContext.setJobDescription(null)
      val rows = spark.read.parquet(tablePath(t).toString).count()
      entries.putObject(t).put("rows", rows).put("columns", tables.ddl(t))
      log(f"  ${i + 1}/${tables.names.size} $t: $rows rows in $chunks chunk(s), ${(System.nanoTime() - started) / 1e9}%.1f s")
    }
    val out = fs.create(manifestPath, true)
    try out.write(TpcData.Json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest)) finally out.close()
    log(f"${suite.name} sf ${TpcData.sfLabel(scaleFactor)}: generated in ${(System.nanoTime() - t0) / 1e9}%.1f s")
  }

  /** Each table as a temporary view of the session, under its own name. */
  def register(): Unit = tables.names.foreach { t =>
    spark.read.parquet(tablePath(t).toString).createOrReplaceTempView(t)
  }

  private def readManifest(): Option[ObjectNode] =
    if (!fs.exists(manifestPath)) None
    else {
      val in = fs.open(manifestPath)
      try Some(TpcData.Json.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8)).asInstanceOf[ObjectNode])
      finally in.close()
    }
}

object TpcData {
  val ManifestName = "_tpc_manifest.json"
  /** Bumped when the way tables are written changes, so older caches are rebuilt. */
  val Layout = 1
  val DefaultRowsPerChunk: Long = 1000000L
  private[tpc] val Json = new ObjectMapper()

  /** A scale factor as written in manifests and names: 1, 0.01, 2.5. */
  def sfLabel(sf: Double): String = java.math.BigDecimal.valueOf(sf).stripTrailingZeros.toPlainString
}

package io.efashuffle.tpc

import java.nio.file.{Files, Path}

import scala.jdk.CollectionConverters._

import org.apache.spark.sql.SparkSession
import org.scalatest.BeforeAndAfterAll
import org.scalatest.funsuite.AnyFunSuite

/** The data cache: used only when whole and matching, rebuilt otherwise, and right against the generator. */
class TpcDataSuite extends AnyFunSuite with BeforeAndAfterAll {
  private var spark: SparkSession = _
  private val dir: Path = Files.createTempDirectory("tpc-data")

  override def beforeAll(): Unit = {
    spark = SparkSession.builder().master("local[2]").appName("tpc-data-suite").config("spark.ui.enabled", "false")
      .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate()
  }

  override def afterAll(): Unit = {
    if (spark != null) spark.stop()
    val s = Files.walk(dir)
    try s.sorted(java.util.Comparator.reverseOrder[Path]()).iterator().asScala.foreach(Files.deleteIfExists) finally s.close()
  }

  private def data(sf: Double, root: Path = dir) = new TpcData(spark, TpcSuite.Tpch, sf, root.toString, rowsPerChunk = 2000, log = _ => ())

  test("generated in chunks, the tables hold what the generator makes, and the cache is then used") {
    val d = data(0.001)
    assert(d.cacheProblem().exists(_.contains("no _tpc_manifest.json")))
    assert(d.ensure().startsWith("generated"))
    assert(d.cacheProblem().isEmpty)
    assert(d.ensure().contains("using the cached data"))
    // lineitem came in several chunks; together they are the generator's whole table.
    val expected = io.trino.tpch.TpchTable.getTable("lineitem").createGenerator(0.001, 1, 1).iterator().asScala.size
    assert(spark.read.parquet(dir.resolve("lineitem").toString).count() == expected)
    assert(Files.list(dir.resolve("lineitem")).iterator().asScala.count(_.toString.endsWith(".parquet")) > 1)
    d.register()
    assert(spark.sql(TpcSuite.Tpch.queryText("q6")).collect().length == 1)
  }

  test("a partial or mismatched cache is detected, never used, and rebuilt") {
    val d = data(0.001)
    d.ensure()
    // Another scale factor's request does not take this cache.
    assert(data(0.002).cacheProblem().exists(_.contains("scaleFactor=0.001")))
    // A table that lost a file: its rows no longer match the manifest.
    val file = Files.list(dir.resolve("orders")).iterator().asScala.find(_.toString.endsWith(".parquet")).get
    Files.delete(file)
    assert(d.cacheProblem().exists(p => p.contains("orders") && p.contains("rows")))
    assert(d.ensure().startsWith("generated") && d.cacheProblem().isEmpty)
    // Generation that did not finish leaves no manifest.
    Files.delete(dir.resolve(TpcData.ManifestName))
    assert(d.cacheProblem().exists(_.contains("did not finish")))
  }
}

package io.efashuffle.tpc

import org.apache.spark.sql.{Row, SparkSession}
import org.scalatest.BeforeAndAfterAll
import org.scalatest.funsuite.AnyFunSuite

/**
 * Every query of both suites (TPC-DS v1.4 and v2.7, TPC-H) analyzes against the tables' schemas:
 * each column a query names exists under that name with a usable type (empty tables, no data).
 */
class TpcQueriesSuite extends AnyFunSuite with BeforeAndAfterAll {
  private var spark: SparkSession = _

  override def beforeAll(): Unit = {
    spark = SparkSession.builder().master("local[1]").appName("tpc-queries-suite").config("spark.ui.enabled", "false")
      .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate()
  }

  override def afterAll(): Unit = if (spark != null) spark.stop()

  TpcSuite.All.foreach { suite =>
    test(s"${suite.name}: every query resolves against the schemas") {
      suite.tables.names.foreach { t =>
        spark.createDataFrame(spark.sparkContext.emptyRDD[Row], suite.tables.schema(t)).createOrReplaceTempView(t)
      }
      val unresolved = TpcSuite.natural(suite.allQueries.keys.toSeq).flatMap { q =>
        try { spark.sql(suite.queryText(q)); None } catch { case e: Exception => Some(s"$q: ${e.getMessage.linesIterator.next()}") }
      }
      assert(unresolved.isEmpty, unresolved.mkString("\n"))
    }
  }
}

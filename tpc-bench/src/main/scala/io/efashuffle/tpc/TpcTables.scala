package io.efashuffle.tpc

import java.math.{BigDecimal => JBigDecimal}
import java.time.LocalDate

import scala.jdk.CollectionConverters._

import org.apache.spark.sql.Row
import org.apache.spark.sql.types._

/**
 * A suite's tables as the generator defines them: names, Spark schemas, and the rows of one chunk
 * (a chunk is generated in one task, so generation scales with the cluster). Column names are
 * Spark's (`TPCDSSchema`, `TPCHBase`), which are the generators' but for three TPC-DS columns;
 * types follow the generators' own column types, which are the specifications'. Spark's test traits cannot be loaded outside a
 * ScalaTest run (they extend `SharedSparkSession`), and `TPCHBase` declares prices DECIMAL(10,0)
 * for plan-stability tests, which would drop every cent.
 */
trait TpcTables {
  def generator: String
  def names: Seq[String]
  def schema(table: String): StructType

  /** Rows generated per table at scale factor 1, to size chunks; dimension tables stay in one chunk. */
  def rowsAtSf1(table: String): Long

  /** The rows of chunk `chunk` (1-based) of `chunks`: disjoint, and all chunks together are the table. */
  def chunkRows(table: String, scaleFactor: Double, chunk: Int, chunks: Int): Iterator[Row]

  /** Chunks so that each holds about `rowsPerChunk` rows. */
  def chunks(table: String, scaleFactor: Double, rowsPerChunk: Long): Int =
    math.max(1L, math.min(10000L, math.ceil(rowsAtSf1(table) * scaleFactor / rowsPerChunk).toLong)).toInt

  /** The `CREATE`-style column list of a table, recorded in the cache manifest. */
  def ddl(table: String): String = schema(table).toDDL
}

object TpcdsTables extends TpcTables {
  import io.trino.tpcds.{Results, Session, Table}
  import io.trino.tpcds.column.ColumnType.Base

  val generator: String = TpcTables.version("io.trino.tpcds", "tpcds")

  // dbgen_version describes the generator run, not the data.
  private def tableList: Seq[Table] = Table.getBaseTables.asScala.toSeq.filterNot(_ == Table.DBGEN_VERSION)

  lazy val names: Seq[String] = tableList.map(_.getName)

  private def table(name: String): Table = Table.getTable(name)

  /**
   * Where the generator's column names (TPC-DS v2's, two with its typos) differ from Spark's
   * `TPCDSSchema`, whose names Spark's query files use (q30 reads `c_last_review_date`).
   */
  private[tpc] val SparkNames = Map("c_last_review_date_sk" -> "c_last_review_date",
    "p_response_targe" -> "p_response_target", "s_tax_precentage" -> "s_tax_percentage")

  def schema(name: String): StructType = StructType(table(name).getColumns.toSeq.map { c =>
    val t = c.getType
    val dataType = t.getBase match {
      case Base.INTEGER => IntegerType
      case Base.IDENTIFIER => LongType
      case Base.DATE => DateType
      case Base.DECIMAL => DecimalType(t.getPrecision.get, t.getScale.get)
      case Base.VARCHAR | Base.CHAR | Base.TIME => StringType
    }
    StructField(SparkNames.getOrElse(c.getName, c.getName), dataType, nullable = true)
  })

  def rowsAtSf1(name: String): Long = {
    val t = table(name)
    if (t.isSmall) 1L else new io.trino.tpcds.Scaling(1).getRowCount(t)
  }

  override def chunks(name: String, scaleFactor: Double, rowsPerChunk: Long): Int =
    if (table(name).isSmall) 1 else super.chunks(name, scaleFactor, rowsPerChunk)

  def chunkRows(name: String, scaleFactor: Double, chunk: Int, chunks: Int): Iterator[Row] = {
    val t = table(name)
    val session = Session.getDefaultSession.withScale(scaleFactor).withParallelism(chunks).withChunkNumber(chunk)
      .withTable(t)
    val types = schema(name).fields.map(_.dataType)
    // Each element holds the table's row first (then child rows generated with it, for the parent).
    Results.constructResults(t, session).iterator().asScala.map { rows =>
      val values = rows.get(0)
      Row.fromSeq(types.indices.map(i => TpcTables.parse(values.get(i), types(i))))
    }
  }
}

object TpchTables extends TpcTables {
  import io.trino.tpch.{TpchColumn, TpchColumnType, TpchEntity, TpchTable}

  val generator: String = TpcTables.version("io.trino.tpch", "tpch")

  private def tableList: Seq[TpchTable[_]] = TpchTable.getTables.asScala.toSeq

  lazy val names: Seq[String] = tableList.map(_.getTableName)

  private def table(name: String): TpchTable[TpchEntity] = TpchTable.getTable(name).asInstanceOf[TpchTable[TpchEntity]]

  /** TPC-H's decimals (prices, discounts, quantities): the generator keeps them as exact cents in a double. */
  private val Money = DecimalType(15, 2)

  private def sparkType(t: TpchColumnType): DataType = t.getBase match {
    case TpchColumnType.Base.INTEGER => IntegerType
    case TpchColumnType.Base.IDENTIFIER => LongType
    case TpchColumnType.Base.DATE => DateType
    case TpchColumnType.Base.DOUBLE => Money
    case TpchColumnType.Base.VARCHAR => StringType
  }

  def schema(name: String): StructType = StructType(table(name).getColumns.asScala.toSeq.map { c =>
    StructField(c.getColumnName, sparkType(c.getType), nullable = false)
  })

  private val Sf1Rows = Map("lineitem" -> 6001215L, "orders" -> 1500000L, "partsupp" -> 800000L, "part" -> 200000L,
    "customer" -> 150000L, "supplier" -> 10000L, "nation" -> 25L, "region" -> 5L)

  def rowsAtSf1(name: String): Long = Sf1Rows.getOrElse(name, 1L)

  override def chunks(name: String, scaleFactor: Double, rowsPerChunk: Long): Int =
    if (name == "nation" || name == "region") 1 else super.chunks(name, scaleFactor, rowsPerChunk)

  def chunkRows(name: String, scaleFactor: Double, chunk: Int, chunks: Int): Iterator[Row] = {
    val t = table(name)
    val columns: Seq[TpchColumn[TpchEntity]] = t.getColumns.asScala.toSeq
    t.createGenerator(scaleFactor, chunk, chunks).iterator().asScala.map { e =>
      Row.fromSeq(columns.map { c =>
        c.getType.getBase match {
          case TpchColumnType.Base.INTEGER => c.getInteger(e)
          case TpchColumnType.Base.IDENTIFIER => c.getIdentifier(e)
          case TpchColumnType.Base.DATE => java.sql.Date.valueOf(LocalDate.ofEpochDay(c.getDate(e).toLong))
          case TpchColumnType.Base.DOUBLE => JBigDecimal.valueOf(c.getDouble(e)).setScale(2, java.math.RoundingMode.HALF_UP)
          case TpchColumnType.Base.VARCHAR => c.getString(e)
        }
      })
    }
  }
}

object TpcTables {
  /** A generator's version from its jar's Maven metadata, to tell caches of different generators apart. */
  private[tpc] def version(group: String, artifact: String): String = {
    val in = getClass.getResourceAsStream(s"/META-INF/maven/$group/$artifact/pom.properties")
    val v = if (in == null) "unknown" else try {
      val p = new java.util.Properties()
      p.load(in)
      p.getProperty("version", "unknown")
    } finally in.close()
    s"$group:$artifact:$v"
  }

  /** One generated text value as Spark's type; the generator's null is null. */
  private[tpc] def parse(value: String, t: DataType): Any =
    if (value == null) null
    else t match {
      case IntegerType => value.toInt
      case LongType => value.toLong
      case DateType => java.sql.Date.valueOf(value)
      case d: DecimalType => new JBigDecimal(value).setScale(d.scale, java.math.RoundingMode.HALF_UP)
      case _ => value
    }
}

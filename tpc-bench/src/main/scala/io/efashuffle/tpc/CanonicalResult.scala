package io.efashuffle.tpc

import java.math.{MathContext, BigDecimal => JBigDecimal}

import org.apache.spark.sql.Row
import org.apache.spark.sql.types.{DoubleType, FloatType, StructType}

/**
 * A query's result in a form two runs can be compared in: each row as text cells, rows sorted, so
 * that neither shuffle's order of ties matters (an ORDER BY's ties come out in either order).
 * Floating-point cells (Spark's double and float results: averages, standard deviations) are
 * compared to a relative precision of [[CanonicalResult.RelativePrecision]], since the order in
 * which partial sums arrive is fixed by neither shuffle; every other cell is compared exactly.
 */
final case class CanonicalResult(columns: Seq[String], floating: Set[Int], rows: Seq[Seq[String]]) {
  /** The first difference from `other`, or None when equal (floating cells within the precision). */
  def difference(other: CanonicalResult): Option[String] =
    if (columns != other.columns) Some(s"columns differ: ${columns.mkString(",")} vs ${other.columns.mkString(",")}")
    else if (rows.size != other.rows.size) Some(s"${rows.size} rows vs ${other.rows.size}")
    else rows.iterator.zip(other.rows.iterator).zipWithIndex.collectFirst {
      case ((a, b), i) if !sameRow(a, b) => s"row ${i + 1} of ${rows.size} (sorted): [${a.mkString(", ")}] vs [${b.mkString(", ")}]"
    }

  private def sameRow(a: Seq[String], b: Seq[String]): Boolean = a.indices.forall { i =>
    a(i) == b(i) || (floating(i) && CanonicalResult.close(a(i), b(i)))
  }
}

object CanonicalResult {
  /** Floating-point cells equal when |a - b| <= 1e-9 * max(|a|, |b|) (or both within 1e-12 of zero). */
  val RelativePrecision = 1e-9
  private val Null = "NULL"
  /** The sort key rounds floating cells, so rows whose last digits differ still pair up. */
  private val SortDigits = new MathContext(6)

  def of(schema: StructType, rows: Seq[Row]): CanonicalResult = {
    val floating = schema.fields.indices.filter(i => schema(i).dataType == DoubleType || schema(i).dataType == FloatType).toSet
    val cells = rows.map(r => (0 until r.length).map(i => cell(r.get(i))))
    CanonicalResult(schema.fieldNames.toSeq, floating, cells.sortBy(r => sortKey(r, floating)))
  }

  private def cell(v: Any): String = v match {
    case null => Null
    case d: Double => java.lang.Double.toString(d)
    case f: Float => java.lang.Double.toString(f.toDouble)
    case b: JBigDecimal => b.toPlainString
    case b: scala.math.BigDecimal => b.bigDecimal.toPlainString
    case s: scala.collection.Seq[_] => s.map(cell).mkString("[", ", ", "]")
    case r: Row => (0 until r.length).map(i => cell(r.get(i))).mkString("{", ", ", "}")
    case other => other.toString
  }

  private def sortKey(row: Seq[String], floating: Set[Int]): String = row.indices.map { i =>
    if (floating(i)) rounded(row(i)) else row(i)
  }.mkString("\u0001") + "\u0002" + row.mkString("\u0001")

  private def rounded(s: String): String =
    toDouble(s).filter(d => !d.isNaN && !d.isInfinite).map(d => new JBigDecimal(d).round(SortDigits).toString).getOrElse(s)

  private def toDouble(s: String): Option[Double] = if (s == Null) None else s.toDoubleOption

  private[tpc] def close(a: String, b: String): Boolean = (toDouble(a), toDouble(b)) match {
    case (Some(x), Some(y)) =>
      x == y || math.abs(x - y) <= RelativePrecision * math.max(math.abs(x), math.abs(y)) || math.abs(x - y) <= 1e-12
    case _ => false
  }
}

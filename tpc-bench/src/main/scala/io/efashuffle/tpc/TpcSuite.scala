package io.efashuffle.tpc

import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Paths}
import java.util.jar.JarFile

import scala.jdk.CollectionConverters._

/**
 * A benchmark suite: its tables (from the generator) and its queries (Spark's own query files,
 * read from this jar's class path). TPC-DS's default set is v1.4's 103 queries with the a/b
 * variants; v2.7.0's modified queries are there by name (`q5a-v2.7`), as in Spark's own
 * TPCDSQueryBenchmark.
 */
sealed abstract class TpcSuite(val name: String, val tables: TpcTables) {
  /** Query name -> class path resource of its text. */
  protected def queryResources: Seq[(String, String)]

  /** The queries a run with no `--queries` runs, in their natural order (q1, q2, ..., q14a, q14b, ...). */
  def defaultQueries: Seq[String]

  lazy val allQueries: Map[String, String] = queryResources.toMap

  def queryText(query: String): String = {
    val resource = allQueries.getOrElse(query, throw new IllegalArgumentException(
      s"$name has no query '$query' (known: ${TpcSuite.natural(allQueries.keys.toSeq).mkString(", ")})"))
    val in = getClass.getResourceAsStream("/" + resource)
    if (in == null) throw new IllegalStateException(s"query text $resource is not on the class path")
    try new String(in.readAllBytes(), StandardCharsets.UTF_8) finally in.close()
  }

  /** `--queries` resolved: the default set, or the named ones in the order given; an unknown name is an error. */
  def select(names: Seq[String]): Seq[String] =
    if (names.isEmpty) defaultQueries
    else {
      val unknown = names.filterNot(allQueries.contains)
      if (unknown.nonEmpty) throw new IllegalArgumentException(s"$name has no quer${if (unknown.size == 1) "y" else "ies"} " +
        s"${unknown.mkString(", ")} (known: ${TpcSuite.natural(allQueries.keys.toSeq).mkString(", ")})")
      names.distinct
    }
}

object TpcSuite {
  case object Tpcds extends TpcSuite("tpcds", TpcdsTables) {
    protected def queryResources: Seq[(String, String)] =
      TpcSuite.listSql("tpcds").map(q => q -> s"tpcds/$q.sql") ++
        TpcSuite.listSql("tpcds-v2.7.0").map(q => s"$q-v2.7" -> s"tpcds-v2.7.0/$q.sql")
    def defaultQueries: Seq[String] = TpcSuite.natural(allQueries.keys.filterNot(_.endsWith("-v2.7")).toSeq)
  }

  case object Tpch extends TpcSuite("tpch", TpchTables) {
    protected def queryResources: Seq[(String, String)] = TpcSuite.listSql("tpch").map(q => q -> s"tpch/$q.sql")
    def defaultQueries: Seq[String] = TpcSuite.natural(allQueries.keys.toSeq)
  }

  val All: Seq[TpcSuite] = Seq(Tpcds, Tpch)

  def named(name: String): TpcSuite = All.find(_.name == name).getOrElse(
    throw new IllegalArgumentException(s"unknown suite '$name' (tpcds or tpch)"))

  /** q1 < q2 < q10 < q14a < q14b. */
  def natural(queries: Seq[String]): Seq[String] = {
    val key = "q(\\d+)(.*)".r
    queries.sortBy {
      case key(n, rest) => (n.toInt, rest)
      case other => (Int.MaxValue, other)
    }
  }

  /** The `*.sql` names in a folder of this jar (or of the classes directory, in a build). */
  private[tpc] def listSql(folder: String): Seq[String] = {
    val home = Paths.get(getClass.getProtectionDomain.getCodeSource.getLocation.toURI)
    val names = if (Files.isDirectory(home)) {
      val dir = home.resolve(folder)
      if (!Files.isDirectory(dir)) Nil
      else {
        val stream = Files.list(dir)
        try stream.iterator().asScala.map(_.getFileName.toString).toSeq finally stream.close()
      }
    } else {
      val jar = new JarFile(home.toFile)
      try jar.entries().asScala.map(_.getName).filter(_.startsWith(s"$folder/")).map(_.stripPrefix(s"$folder/")).toSeq
      finally jar.close()
    }
    val queries = names.filter(n => n.endsWith(".sql") && !n.contains('/'))
    if (queries.isEmpty) throw new IllegalStateException(s"Spark's $folder queries are not in $home (build tpc-bench)")
    queries.map(_.stripSuffix(".sql"))
  }
}

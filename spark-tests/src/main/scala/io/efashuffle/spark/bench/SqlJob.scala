package io.efashuffle.spark.bench

/**
 * A star schema generated in SQL (fact table `sales`; dimensions `date_dim`, `item`, `store`,
 * `customer`) and four TPC-DS-like queries written for this project, under AQE. Columns are
 * Murmur3 hashes of the row number, so both shuffles query the same data; measures are integers
 * (cents), so sums do not depend on the order rows arrive in. Static planning uses sort-merge
 * joins everywhere; AQE turns the joins with tiny dimensions into broadcast joins at run time
 * (local shuffle reads), coalesces partitions, and splits the skewed customer (20% of sales).
 */
object SqlJob extends BenchJob {
  val name = "sql"

  private def salesRows(o: BenchOptions): Long = (o.salesMillions.getOrElse(8.0) * 1e6).toLong

  def shuffleMiB(o: BenchOptions): Long = salesRows(o) * 60 >> 20

  def describe(o: BenchOptions): String =
    s"${salesRows(o)} sales rows, ${customers(o)} customers, ${o.mapTasks(8)} scan partitions, " +
      s"${o.sqlPartitions} shuffle partitions before AQE"

  private def customers(o: BenchOptions): Long = math.max(1000, salesRows(o) / 40)

  val HotCustomer = 42

  /**
   * Session settings (runtime SQL settings, so the RDD jobs can share the cluster). The target
   * partition size scales with the data (about 1/32 of q2's sales shuffle, ~16 bytes a row), so
   * AQE coalesces and splits the skewed customer's partition at any `--sales`: a skewed partition
   * is split only into pieces of the target size.
   */
  private def settings(o: BenchOptions): Seq[(String, String)] = {
    val target = math.max(64L << 10, salesRows(o) / 2)
    Seq(
      "spark.sql.adaptive.enabled" -> "true",
      "spark.sql.shuffle.partitions" -> o.sqlPartitions.toString,
      "spark.sql.autoBroadcastJoinThreshold" -> "-1",
      "spark.sql.adaptive.autoBroadcastJoinThreshold" -> "64k",
      "spark.sql.adaptive.advisoryPartitionSizeInBytes" -> target.toString,
      "spark.sql.adaptive.skewJoin.enabled" -> "true",
      "spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes" -> (target / 2).toString)
  }

  private def tables(o: BenchOptions): Seq[String] = {
    val (rows, custs) = (salesRows(o), customers(o))
    Seq(
      """CREATE OR REPLACE TEMP VIEW date_dim AS SELECT id AS d_date_sk, CAST(2000 + id DIV 365 AS INT) AS d_year,
        |  CAST((id % 365) DIV 31 + 1 AS INT) AS d_moy, CAST(id % 7 AS INT) AS d_dow FROM range(0, 1826, 1, 1)""",
      """CREATE OR REPLACE TEMP VIEW item AS SELECT id AS i_item_sk, id % 500 AS i_brand_id, id % 12 AS i_category_id,
        |  100 + pmod(hash(id, 1), 9900) AS i_price_cents FROM range(0, 20000, 1, 2)""",
      """CREATE OR REPLACE TEMP VIEW store AS SELECT id AS s_store_sk, concat('ST', id % 12) AS s_state
        |  FROM range(0, 200, 1, 1)""",
      s"""CREATE OR REPLACE TEMP VIEW customer AS SELECT id AS c_customer_sk, concat('C', pmod(hash(id, 2), 60)) AS
        |  c_birth_country, 1930 + pmod(hash(id, 3), 70) AS c_birth_year FROM range(0, $custs, 1, 4)""",
      s"""CREATE OR REPLACE TEMP VIEW sales AS SELECT pmod(hash(id, 11), 20000) AS ss_item_sk,
        |  pmod(hash(id, 12), 200) AS ss_store_sk, pmod(hash(id, 13), 1826) AS ss_sold_date_sk,
        |  CASE WHEN pmod(hash(id, 14), 100) < 20 THEN $HotCustomer ELSE pmod(hash(id, 15), $custs) END AS ss_customer_sk,
        |  1 + pmod(hash(id, 16), 100) AS ss_quantity, 100 + pmod(hash(id, 17), 20000) AS ss_sales_price,
        |  pmod(hash(id, 18), 4000) - 1000 AS ss_net_profit FROM range(0, $rows, 1, ${o.mapTasks(8)})""")
      .map(_.stripMargin)
  }

  /** The queries: name -> SQL. Every ORDER BY is total, so LIMIT picks the same rows on any run. */
  val queries: Seq[(String, String)] = Seq(
    // q1 (like TPC-DS q3/q52): November revenue per year and brand; date_dim becomes a broadcast.
    "q1" -> """SELECT d_year, i_brand_id, sum(ss_sales_price * ss_quantity) AS revenue, count(*) AS n
              |FROM sales JOIN date_dim ON ss_sold_date_sk = d_date_sk JOIN item ON ss_item_sk = i_item_sk
              |WHERE d_moy = 11 GROUP BY d_year, i_brand_id ORDER BY d_year, revenue DESC, i_brand_id""",
    // q2: profit and distinct customers per birth country and year; the customer join key is
    // skewed. date_dim is joined first: joined last, AQE could start shuffling the customer
    // join's output for a sort-merge join with date_dim before it learns date_dim is tiny, and
    // the shuffled bytes would depend on which stage finished first.
    "q2" -> """SELECT c_birth_country, d_year, sum(ss_net_profit) AS profit, count(*) AS n,
              |  count(DISTINCT ss_customer_sk) AS customers
              |FROM sales JOIN date_dim ON ss_sold_date_sk = d_date_sk JOIN customer ON ss_customer_sk = c_customer_sk
              |GROUP BY c_birth_country, d_year ORDER BY c_birth_country, d_year""",
    // q3: top customers by revenue; one customer holds a fifth of the rows.
    "q3" -> """SELECT ss_customer_sk, count(*) AS n, sum(ss_quantity) AS qty, sum(ss_sales_price * ss_quantity) AS revenue
              |FROM sales GROUP BY ss_customer_sk ORDER BY revenue DESC, ss_customer_sk LIMIT 100""",
    // q4 (like q27): quantity and revenue per store state and category for dearer items.
    "q4" -> """SELECT s_state, i_category_id, avg(ss_quantity) AS avg_qty, sum(ss_sales_price * ss_quantity) AS revenue,
              |  count(*) AS n
              |FROM sales JOIN store ON ss_store_sk = s_store_sk JOIN item ON ss_item_sk = i_item_sk
              |WHERE i_price_cents > 5000 GROUP BY s_state, i_category_id ORDER BY s_state, i_category_id"""
  ).map { case (n, q) => n -> q.stripMargin }

  def run(ctx: BenchContext): JobOutcome = {
    settings(ctx.o).foreach { case (k, v) => ctx.spark.conf.set(k, v) }
    tables(ctx.o).foreach(ctx.spark.sql)
    val results = queries.map { case (q, sql) =>
      val df = ctx.spark.sql(sql)
      val (rows, m) = ctx.measure(df.collect().map(r => s"$q $r").toSeq)
      // What AQE did with the query (the final plan is known once it has run).
      val plan = df.queryExecution.executedPlan.toString
      val aqe = Seq("skew join" -> "skew", "coalesced" -> "coalesced", "local reads" -> "local", "broadcast" -> "BroadcastHashJoin")
        .collect { case (what, marker) if plan.contains(marker) => what }
      ctx.log(f"$q: ${rows.size} rows, ${m.jobSec}%.2f s, shuffle MiB written ${m.writeBytes / 1048576.0}%.1f, " +
        f"read ${m.readBytes / 1048576.0}%.1f; AQE: ${if (aqe.isEmpty) "-" else aqe.mkString(", ")}")
      (q, rows, m, s"$q AQE: ${aqe.mkString(", ")}")
    }
    val rows = results.flatMap(_._2)
    val problems = results.collect { case (q, r, _, _) if r.isEmpty => s"$q returned no rows" } ++
      results.find(_._1 == "q3").flatMap(_._2.headOption).filterNot(_.startsWith(s"q3 [$HotCustomer,"))
        .map(r => s"q3: the skewed customer $HotCustomer is not the top one: $r")
    // Forget the queries' shuffles before a repeat (the ContextCleaner acts on garbage collection).
    System.gc()
    JobOutcome(results.map(_._3).reduce(_ + _), rows.sorted, problems, parts = results.map(r => s"sql ${r._1}" -> r._3),
      notes = results.map(_._4))
  }
}

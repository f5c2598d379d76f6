package io.efashuffle.spark

import scala.util.Random

import org.apache.spark.SparkContext
import org.apache.spark.sql.SparkSession
import org.apache.spark.sql.functions._

/**
 * Shuffle workloads shared by the suites and the benchmarks. They live in main code (on the
 * executors' class path) and each returns a result that can be compared across shuffles.
 */
object Jobs {

  /** groupByKey where one key holds a third of all records. */
  def groupBySkewed(sc: SparkContext, records: Int = 200000): Seq[(Int, Int, Long)] =
    sc.parallelize(0 until records, 6)
      .map(i => (if (i % 3 == 0) 7 else i % 5000, i.toLong))
      .groupByKey(12)
      .map { case (k, vs) => (k, vs.size, vs.sum) }
      .collect().sortBy(_._1).toSeq

  /** reduceByKey into more partitions (2,400) than keys: most reduce partitions are empty. */
  def reduceManyPartitions(sc: SparkContext): Seq[(Int, Long)] =
    sc.parallelize(0 until 60000, 4).map(i => (i % 300 * 8, i.toLong)).reduceByKey(_ + _, 2400)
      .collect().sortBy(_._1).toSeq

  /** sortByKey of records larger than the receive buffers the tests configure. */
  def sortLargeRecords(sc: SparkContext, recordBytes: Int = 300 * 1024): Seq[(Int, Int, Long)] =
    sc.parallelize(0 until 60, 3).map { i =>
      val v = new Array[Byte](recordBytes)
      new Random(i).nextBytes(v)
      ((i * 7919) % 61, v)
    }.sortByKey(numPartitions = 4).map { case (k, v) => (k, v.length, v.foldLeft(0L)(_ * 31 + _)) }
      .collect().toSeq

  /** An inner join of two pair RDDs (a cogroup: both sides shuffled), summed per key. */
  def joinPairs(sc: SparkContext): Seq[(Int, Long, Long)] = {
    val left = sc.parallelize(0 until 80000, 4).map(i => (i % 4000, i.toLong))
    val right = sc.parallelize(0 until 20000, 3).map(i => (i % 5000, i.toLong * 3))
    left.join(right, 8).aggregateByKey((0L, 0L), 5)((acc, v) => (acc._1 + v._1, acc._2 + v._2),
      (a, b) => (a._1 + b._1, a._2 + b._2)).map { case (k, (l, r)) => (k, l, r) }.collect().sortBy(_._1).toSeq
  }

  /** A shuffle with no records at all. */
  def emptyShuffle(sc: SparkContext): Seq[(Int, Long)] =
    sc.parallelize(Seq.empty[Int], 4).map(i => (i, i.toLong)).reduceByKey(_ + _, 8).collect().toSeq

  /** One map task feeding 500 reducers. */
  def singleMapManyReducers(sc: SparkContext): Seq[(Int, Long)] =
    sc.parallelize(0 until 100000, 1).map(i => (i % 3000, 1L)).reduceByKey(_ + _, 500)
      .collect().sortBy(_._1).toSeq

  /** Three different jobs submitted at once from three threads. */
  def concurrentJobs(sc: SparkContext): Seq[Seq[(Int, Long)]] = {
    import scala.concurrent.{Await, Future}
    import scala.concurrent.ExecutionContext.Implicits.global
    import scala.concurrent.duration._
    val futures = (1 to 3).map { j =>
      Future {
        sc.parallelize(0 until 50000 * j, 4).map(i => (i % (100 * j), i.toLong * j)).reduceByKey(_ + _, 6 * j)
          .collect().sortBy(_._1).toSeq
      }
    }
    futures.map(f => Await.result(f, 5.minutes))
  }

  /**
   * A star-schema join plus aggregation, run twice under AQE: once as a sort-merge join whose
   * skewed partition AQE splits, once demoted at run time to a broadcast join that reads its
   * shuffle with the local reader. Both coalesce small partitions. Returns rows and final plans.
   */
  def sqlJoinAggregate(spark: SparkSession): (Seq[String], String) = {
    import spark.implicits._
    spark.conf.set("spark.sql.adaptive.enabled", "true")
    spark.conf.set("spark.sql.adaptive.coalescePartitions.enabled", "true")
    spark.conf.set("spark.sql.shuffle.partitions", "40")
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "-1")
    val facts = spark.range(0, 300000, 1, 6)
      .select(($"id" % 1000).as("item"), when($"id" % 2 === 0, lit(1L)).otherwise($"id" % 50).as("store"),
        ($"id" % 97).as("qty"))
    val stores = spark.range(0, 60000, 1, 4).select(($"id" % 50).as("store"), ($"id" % 7).as("region"))
    val items = spark.range(0, 1000).select($"id".as("item"), ($"id" % 10).as("category"))

    spark.conf.set("spark.sql.adaptive.skewJoin.enabled", "true")
    spark.conf.set("spark.sql.adaptive.skewJoin.skewedPartitionFactor", "2")
    spark.conf.set("spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes", "4k")
    spark.conf.set("spark.sql.adaptive.advisoryPartitionSizeInBytes", "16k")
    spark.conf.set("spark.sql.adaptive.autoBroadcastJoinThreshold", "-1")
    val skewJoin = facts.join(stores, "store").groupBy("region").agg(sum("qty").as("q"), count(lit(1)).as("n"))
    val skewRows = skewJoin.collect().map("skew " + _).toSeq
    val skewPlan = skewJoin.queryExecution.executedPlan.toString

    spark.conf.set("spark.sql.adaptive.autoBroadcastJoinThreshold", "10m")
    spark.conf.set("spark.sql.adaptive.advisoryPartitionSizeInBytes", "64m")
    val localJoin = facts.join(items, "item").groupBy("category").agg(sum("qty").as("q"), count(lit(1)).as("n"))
    val localRows = localJoin.collect().map("local " + _).toSeq
    val localPlan = localJoin.queryExecution.executedPlan.toString
    ((skewRows ++ localRows).sorted, skewPlan + "\n" + localPlan)
  }
}

package io.efashuffle.spark

import org.apache.spark.SparkContext

/** Shuffle jobs shared by the suites and the benchmarks (on executors' class path). */
object Jobs {
  def reduceByKey(sc: SparkContext, records: Int, partitions: Int): Array[(Int, Long)] =
    sc.parallelize(0 until records, 4).map(i => (i % 1000, i.toLong)).reduceByKey(_ + _, partitions)
      .collect().sortBy(_._1)
}

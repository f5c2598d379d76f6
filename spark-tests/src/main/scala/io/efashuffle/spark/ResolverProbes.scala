package io.efashuffle.spark

import org.apache.spark.{SparkContext, SparkEnv, SparkInternals}
import org.apache.spark.rdd.RDD
import org.apache.spark.util.LongAccumulator

/**
 * Code the integration suite runs inside executors (it must be on their class path, as job code
 * is): Spark's corruption diagnosis asked of each executor, and a shuffle that counts its map tasks.
 */
object ResolverProbes {
  /** Each executor diagnoses the map outputs it holds (reduce partition 0), as Spark's fetcher asks it to. */
  def diagnoseAll(sc: SparkContext, shuffleId: Int): Map[Long, String] = {
    val outputs = SparkInternals.mapOutputs(sc, shuffleId)
    sc.parallelize(0 until 8, 8).mapPartitions { _ =>
      Thread.sleep(300) // so every executor gets tasks
      val me = SparkEnv.get.executorId
      outputs.filter(_._1 == me).map { case (_, mapId) =>
        mapId -> SparkInternals.diagnoseCorruption(shuffleId, mapId, 0, checksumByReader = 0L)
      }.iterator
    }.collect().toMap
  }

  /** A 6-map, 6-reduce reduceByKey whose map tasks add 1 each to {@code mapTasks}. */
  def countedShuffle(sc: SparkContext, mapTasks: LongAccumulator): RDD[(Int, Long)] =
    sc.parallelize(0 until 40000, 6).mapPartitions { it =>
      mapTasks.add(1)
      it.map(x => (x * 7 % 997, x.toLong))
    }.reduceByKey(_ + _, 6)
}

package io.efashuffle.spark.bench

import scala.reflect.ClassTag

import org.apache.spark.{Partition, TaskContext}
import org.apache.spark.rdd.RDD

/**
 * `prev` with every partition preferring one location (an executor, as
 * `SparkInternals.executorLocation` names it): with a long locality wait, its tasks and those of
 * narrow descendants run there.
 */
final class PinnedRDD[T: ClassTag](prev: RDD[T], location: String) extends RDD[T](prev) {
  override protected def getPartitions: Array[Partition] = prev.partitions
  override def compute(split: Partition, context: TaskContext): Iterator[T] = prev.iterator(split, context)
  override protected def getPreferredLocations(split: Partition): Seq[String] = Seq(location)
}

package io.efashuffle.spark

import org.apache.spark.SparkContext
import org.apache.spark.shuffle.efa.EfaShuffleDriverComponents
import org.scalatest.funsuite.AnyFunSuite

class SmokeSuite extends AnyFunSuite {
  test("plugin reduceByKey equals builtin") {
    def run(conf: org.apache.spark.SparkConf): Array[(Int, Long)] = {
      val sc = new SparkContext(conf)
      try {
        val r = Jobs.reduceByKey(sc, 100000, 40)
        if (conf.contains("spark.shuffle.manager")) {
          println("STATS " + EfaShuffleDriverComponents.activeRegistry().stats())
        }
        r
      } finally sc.stop()
    }
    val a = run(ClusterConf.builtin("smoke-builtin"))
    val b = run(ClusterConf.plugin("smoke-plugin"))
    assert(a.toSeq == b.toSeq)
  }
}

package org.apache.spark

/** Waits until the driver's listener bus has delivered every event so far (private to Spark's package). */
object TpcListenerBus {
  def drain(sc: SparkContext): Unit = sc.listenerBus.waitUntilEmpty(60000L)
}

package io.efashuffle.spark

import scala.jdk.CollectionConverters._

import org.apache.spark.network.TransportContext
import org.apache.spark.network.server.{TransportServer, TransportServerBootstrap}
import org.apache.spark.network.shuffle.ExternalBlockHandler
import org.apache.spark.network.util.{MapConfigProvider, TransportConf}

/**
 * Spark's external shuffle service (its block handler, the code a Worker or NodeManager runs) on
 * 127.0.0.1 in this JVM, as Spark's own suites start it: executors register their local dirs with
 * it, it serves their shuffle files after they left and deletes the blocks the driver names.
 */
final class LocalShuffleService private (handler: ExternalBlockHandler, server: TransportServer) {
  def port: Int = server.getPort

  /** The local dirs each executor registered here (where the service looks for its files). */
  def localDirs(appId: String, executorIds: Set[String]): Map[String, Seq[String]] =
    handler.getBlockResolver.getLocalDirs(appId, executorIds.asJava).asScala.map { case (e, d) => e -> d.toSeq }.toMap

  /** Shuffle bytes the service has sent to readers so far. */
  def bytesServed: Long =
    handler.getAllMetrics.getMetrics.get("blockTransferRateBytes").asInstanceOf[com.codahale.metrics.Meter].getCount

  /** What a Worker does when an application ends: forget its executors and delete their dirs. */
  def applicationRemoved(appId: String): Unit = handler.applicationRemoved(appId, true)
}

object LocalShuffleService {
  def run[T](body: LocalShuffleService => T): T = {
    val conf = new TransportConf("shuffle", MapConfigProvider.EMPTY)
    val handler = new ExternalBlockHandler(conf, null) // no registered-executors DB: nothing to recover
    val context = new TransportContext(conf, handler, true)
    try {
      val server = context.createServer("127.0.0.1", 0, java.util.List.of[TransportServerBootstrap]())
      try body(new LocalShuffleService(handler, server)) finally server.close()
    } finally {
      handler.close()
      context.close()
    }
  }
}

package io.efashuffle.spark.registry

import java.io.{BufferedReader, File, InputStreamReader, PrintWriter}
import java.lang.management.ManagementFactory
import java.nio.charset.StandardCharsets

import scala.jdk.CollectionConverters._

import org.apache.spark.{SparkConf, SparkInternals}
import org.apache.spark.shuffle.efa.registry.{RegistryCodec, ShuffleSegmentRegistry}

/**
 * The simulated application's driver, a JVM of its own so that its CPU and heap are its own: a
 * Spark RpcEnv listening on loopback with the plugin's real [[ShuffleSegmentRegistry]] in it
 * (peers inserted ahead, the efa-direct protocol), as `EfaShuffleDriverComponents` sets it up.
 * The simulator drives it over stdin, one command per line, and reads one `key=value` line back:
 *  - `measure`: process CPU, CPU of the RpcEnv's dispatcher threads (where the registry's handlers
 *    run), and what the registry holds;
 *  - `heap`: heap in use after a full GC;
 *  - `registryHeap`: heap in use after a GC, then again once the registry is cleared (its share);
 *  - `tracker M R N`: Spark's own MapOutputTrackerMaster for the same shuffle, beside it;
 *  - `quit`.
 */
object RegistryDriver {
  /** Marks the driver's answers on its stdout (whatever else is logged there). */
  private[registry] val Reply = "registry-driver: "

  def main(args: Array[String]): Unit = {
    val conf = new SparkConf(false).set("spark.rpc.askTimeout", "300s")
    var registry: ShuffleSegmentRegistry = null
    val served = new MessageLog
    val (port, stop) = SparkInternals.driverRpcEnv("127.0.0.1", conf, ShuffleSegmentRegistry.ENDPOINT_NAME, env => {
      registry = new ShuffleSegmentRegistry(env, true)
      registry
    }, (message, nanos) => served.took(kindOf(message), nanos))
    val out = new PrintWriter(System.out, true, StandardCharsets.UTF_8)
    out.println(s"${RegistryDriver.Reply}port=$port")
    val in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
    try {
      Iterator.continually(in.readLine()).takeWhile(l => l != null && l != "quit").foreach { line =>
        val reply = line.split(' ').toSeq match {
          case Seq("measure") =>
            Seq("cpuNanos" -> processCpuNanos, "dispatcherCpuNanos" -> threadCpuNanos(_.startsWith("dispatcher-")),
              "segments" -> registry.segmentCount(), "mapOutputs" -> registry.mapOutputCount())
          case Seq("heap") => Seq("heap" -> usedAfterGc())
          case Seq("served") =>
            // Per kind: messages served, and p50 and p99 of the time the endpoint took with each, in microseconds.
            served.counted.toSeq.sortBy(_._1).flatMap { case (kind, n) =>
              val t = served.waitsOf(kind)
              Seq(s"$kind.n" -> n, s"$kind.p50" -> MessageLog.quantile(t, 0.5) / 1000,
                s"$kind.p99" -> MessageLog.quantile(t, 0.99) / 1000)
            } :+ ("all.p99" -> MessageLog.quantile(served.allWaits, 0.99) / 1000)
          case Seq("segments") => Seq("names" -> registry.segments().keySet().asScala.mkString(","))
          case Seq("registryHeap") =>
            val held = usedAfterGc()
            registry.clear()
            Seq("heap" -> held, "cleared" -> usedAfterGc())
          case Seq("tracker", maps, reducers, executors) =>
            val c = SparkInternals.trackerCost(maps.toInt, reducers.toInt, executors.toInt, blockSize, () => usedAfterGc())
            Seq("heap" -> c.heapBytes, "serializeNanos" -> c.serializeNanos, "serializedBytes" -> c.serializedBytes)
          case other => Seq("error" -> s"unknown command ${other.mkString(" ")}")
        }
        out.println(RegistryDriver.Reply + reply.map { case (k, v) => s"$k=$v" }.mkString(" "))
      }
    } finally stop()
  }

  /** A registry frame's kind, by its tag byte (RegistryCodec: version, then tag). */
  private def kindOf(message: Any): String = message match {
    case b: Array[Byte] => RegistryCodec.kindOf(b)
    case other => other.getClass.getSimpleName
  }

  /** A map output's block sizes as SQL's are: a tenth empty, the rest 1-64 KiB, fixed by (map, reducer). */
  private def blockSize(map: Int, reducer: Int): Long = {
    val h = (map * 0x9E3779B1L + reducer * 0x85EBCA77L) & 0xffffffffL
    if (h % 10 == 0) 0L else 1024L + h % (63 * 1024)
  }

  private def processCpuNanos: Long =
    ManagementFactory.getOperatingSystemMXBean.asInstanceOf[com.sun.management.OperatingSystemMXBean].getProcessCpuTime

  private def threadCpuNanos(named: String => Boolean): Long = {
    val threads = ManagementFactory.getThreadMXBean
    Thread.getAllStackTraces.keySet.asScala.filter(t => named(t.getName))
      .map(t => math.max(0L, threads.getThreadCpuTime(t.threadId()))).sum
  }

  private def usedAfterGc(): Long = {
    val memory = ManagementFactory.getMemoryMXBean
    (1 to 3).foreach(_ => System.gc())
    memory.getHeapMemoryUsage.getUsed
  }

  /** The command line that runs this driver with the running JVM's class path and options. */
  def command(heapMb: Int): Seq[String] = {
    val inherited = ManagementFactory.getRuntimeMXBean.getInputArguments.asScala.toSeq
      .filter(a => a.startsWith("--add-opens") || a.startsWith("--enable-native-access") || a.startsWith("-Dlog4j2"))
    Seq(new File(System.getProperty("java.home"), "bin/java").getPath, s"-Xmx${heapMb}m", "-XX:+UseParallelGC") ++
      inherited ++ Seq("-cp", System.getProperty("java.class.path"), getClass.getName.stripSuffix("$"))
  }
}

/** The simulator's handle on a running [[RegistryDriver]]. */
final class RegistryDriverProcess(heapMb: Int) extends AutoCloseable {
  private val process = new ProcessBuilder(RegistryDriver.command(heapMb): _*)
    .redirectError(ProcessBuilder.Redirect.DISCARD).start()
  private val in = new BufferedReader(new InputStreamReader(process.getInputStream, StandardCharsets.UTF_8))
  private val out = new PrintWriter(process.getOutputStream, true, StandardCharsets.UTF_8)

  val port: Int = reply().getOrElse("port", sys.error("the registry driver did not start")).toInt

  private def reply(): Map[String, String] = {
    val line = Iterator.continually(in.readLine()).find(l => l == null || l.startsWith(RegistryDriver.Reply)).orNull
    if (line == null) throw new IllegalStateException(s"the registry driver exited (${process.waitFor()})")
    line.stripPrefix(RegistryDriver.Reply).split(' ').map { kv => val i = kv.indexOf('='); kv.take(i) -> kv.drop(i + 1) }.toMap
  }

  def ask(command: String): Map[String, String] = synchronized {
    out.println(command)
    val r = reply()
    r.get("error").foreach(e => throw new IllegalArgumentException(e))
    r
  }

  def askLong(command: String): Map[String, Long] = ask(command).map { case (k, v) => k -> v.toLong }

  override def close(): Unit = {
    out.println("quit")
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly()
  }
}

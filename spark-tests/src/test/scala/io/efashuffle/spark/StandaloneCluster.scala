package io.efashuffle.spark

import java.io.File
import java.net.{ServerSocket, URI}
import java.net.http.{HttpClient, HttpRequest, HttpResponse}
import java.nio.file.{Files, Path}
import java.time.Duration
import java.util.Comparator
import java.util.concurrent.TimeUnit

import scala.jdk.CollectionConverters._
import scala.util.control.NonFatal

/**
 * A Spark standalone cluster on this host, started the way an operator starts one: a Master JVM
 * and one Worker JVM per entry of `workerEnvs`, each Worker with its own environment (which its
 * executors inherit) and its own work directory (where its executors' logs land). Everything binds
 * to 127.0.0.1, unless [[StandaloneCluster.runOn]] places the Master and each Worker on a host of
 * its own (an address and the command that starts a process there, e.g. `ip netns exec NAME`).
 * Both always stop and reap every process and delete the temporary directory, within a bounded time.
 */
final class StandaloneCluster private (val masterUrl: String, val workDirs: Seq[Path], val logDir: Path,
    processes: Seq[Process]) extends AutoCloseable {
  /** Stops Workers first (they kill their executors on a clean stop), then the Master; deletes the directory. */
  override def close(): Unit = StandaloneCluster.stopAll(processes, logDir)

  /** Every executor log (stderr) written under the i-th Worker's work directory. */
  def executorLogs(worker: Int): Seq[String] = {
    val stream = Files.walk(workDirs(worker))
    try stream.iterator().asScala.filter(p => p.getFileName.toString == "stderr" && Files.isRegularFile(p))
      .map(Files.readString).toSeq
    finally stream.close()
  }
}

object StandaloneCluster {
  private val StartTimeout = Duration.ofSeconds(60)
  private val StopTimeout = Duration.ofSeconds(20)

  /**
   * Where a Master or Worker runs: the address it binds to (also its executors' `SPARK_LOCAL_IP`),
   * the command prefix that starts a process on that host (none: this one), and extra environment.
   */
  final case class Host(address: String = "127.0.0.1", launcher: Seq[String] = Nil, env: Map[String, String] = Map.empty)

  /**
   * Starts a Master and `workerEnvs.size` Workers on 127.0.0.1 (`workerCores` cores,
   * `workerMemoryMb` for executors each), runs `body`, then stops everything.
   */
  def run[T](workerEnvs: Seq[Map[String, String]], workerCores: Int = 1, workerMemoryMb: Int = 1024)(
      body: StandaloneCluster => T): T =
    runOn(Host(), workerEnvs.map(env => Host(env = env)), workerCores, workerMemoryMb)(body)

  /** As [[run]], with the Master on `master` and one Worker on each of `workers`. */
  def runOn[T](master: Host, workers: Seq[Host], workerCores: Int = 1, workerMemoryMb: Int = 1024)(
      body: StandaloneCluster => T): T = {
    val cluster = start(master, workers, workerCores, workerMemoryMb)
    try body(cluster) finally cluster.close()
  }

  /** Starts the cluster of [[runOn]]; the caller closes it. A failed start stops what it started. */
  def start(master: Host, workers: Seq[Host], workerCores: Int = 1, workerMemoryMb: Int = 1024): StandaloneCluster = {
    val root = Files.createTempDirectory("efa-standalone")
    val processes = scala.collection.mutable.ArrayBuffer.empty[Process]
    try {
      // Ports are free on this host's loopback; a host of its own (a fresh namespace) has all free.
      val masterPort = freePort()
      val masterUi = freePort()
      processes += start(root, "master", master, "org.apache.spark.deploy.master.Master",
        Seq("--host", master.address, "--port", masterPort.toString, "--webui-port", masterUi.toString))
      val masterUrl = s"spark://${master.address}:$masterPort"
      val workDirs = workers.zipWithIndex.map { case (host, i) =>
        val work = Files.createDirectories(root.resolve(s"worker-$i"))
        processes += start(root, s"worker-$i", host, "org.apache.spark.deploy.worker.Worker",
          Seq("--host", host.address, "--port", freePort().toString, "--webui-port", freePort().toString,
            "--cores", workerCores.toString, "--memory", s"${workerMemoryMb}m", "--work-dir", work.toString, masterUrl))
        work
      }
      awaitWorkers(master.address, masterUi, workers.size, processes.toSeq, root)
      new StandaloneCluster(masterUrl, workDirs, root, processes.toSeq)
    } catch {
      case e: Throwable =>
        stopAll(processes.toSeq, root)
        throw e
    }
  }

  private def stopAll(processes: Seq[Process], root: Path): Unit = {
    processes.reverseIterator.foreach(stop)
    deleteTree(root)
  }

  private def sparkHome: String = Option(System.getProperty("spark.home")).orElse(sys.env.get("SPARK_HOME"))
    .filter(h => new File(h, "jars").isDirectory)
    .getOrElse(throw new IllegalStateException("no assembled SPARK_HOME (system property spark.home); build spark-tests"))

  private def start(root: Path, name: String, host: Host, mainClass: String, args: Seq[String]): Process = {
    val java = new File(System.getProperty("java.home"), "bin/java").getPath
    val cmd = host.launcher ++ Seq(java, "-Xmx256m") ++ ClusterConf.sparkJvmArgs ++
      Seq("-cp", s"$sparkHome/jars/*", mainClass) ++ args
    val pb = new ProcessBuilder(cmd.asJava)
      .redirectErrorStream(true)
      .redirectOutput(root.resolve(s"$name.log").toFile)
    val e = pb.environment()
    e.put("SPARK_HOME", sparkHome)
    e.put("SPARK_LOCAL_IP", host.address)
    e.put("SPARK_SCALA_VERSION", "2.13")
    e.put("JAVA_HOME", System.getProperty("java.home"))
    host.env.foreach { case (k, v) => e.put(k, v) }
    pb.start()
  }

  /** Until the Master's UI (JSON) lists `n` alive Workers; a process that exits fails at once. */
  private def awaitWorkers(address: String, ui: Int, n: Int, processes: Seq[Process], root: Path): Unit = {
    val http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
    val request = HttpRequest.newBuilder(URI.create(s"http://$address:$ui/json/")).timeout(Duration.ofSeconds(5)).build()
    val alive = "\"aliveworkers\"\\s*:\\s*(\\d+)".r
    val deadline = System.nanoTime() + StartTimeout.toNanos
    var seen = -1
    while (seen < n) {
      processes.find(!_.isAlive).foreach { p =>
        throw new IllegalStateException(s"a cluster process exited with ${p.exitValue()} while starting:\n${logs(root)}")
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(s"$seen of $n Workers registered with the Master in $StartTimeout:\n${logs(root)}")
      }
      seen = try {
        alive.findFirstMatchIn(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).map(_.group(1).toInt)
          .getOrElse(-1)
      } catch { case NonFatal(_) => -1 }
      if (seen < n) Thread.sleep(250)
    }
  }

  private def logs(root: Path): String = {
    val stream = Files.list(root)
    try stream.iterator().asScala.filter(_.toString.endsWith(".log")).toSeq.sorted
      .map(p => s"--- ${p.getFileName}\n" + Files.readString(p).linesIterator.toSeq.takeRight(30).mkString("\n"))
      .mkString("\n")
    finally stream.close()
  }

  /** SIGTERM (a Worker then kills its executors), SIGKILL if still alive; the process and its children are reaped. */
  private def stop(p: Process): Unit = {
    val children = p.descendants().iterator().asScala.toSeq
    p.destroy()
    if (!p.waitFor(StopTimeout.toSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly()
      p.waitFor(StopTimeout.toSeconds, TimeUnit.SECONDS)
    }
    children.filter(_.isAlive).foreach { c =>
      c.destroyForcibly()
      c.onExit().get(StopTimeout.toSeconds, TimeUnit.SECONDS)
    }
  }

  private def freePort(): Int = {
    val s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))
    try s.getLocalPort finally s.close()
  }

  private def deleteTree(root: Path): Unit = if (Files.exists(root)) {
    val stream = Files.walk(root)
    try stream.sorted(Comparator.reverseOrder[Path]()).iterator().asScala.foreach(p => Files.deleteIfExists(p))
    finally stream.close()
  }
}

package io.efashuffle.spark

import java.io.File
import java.nio.file.Files
import java.util.concurrent.TimeUnit

import scala.jdk.CollectionConverters._

/**
 * `spark-submit` as a user runs it: `org.apache.spark.deploy.SparkSubmit` in a JVM of its own on
 * the assembled SPARK_HOME's jars, with the module openings Spark needs on JDK 25 (the ones this
 * JVM was started with), output to a log file.
 */
object SparkSubmitProcess {
  /** What a submission did: whether it ended in time with exit code 0, and its output lines. */
  final case class Outcome(ok: Boolean, output: Seq[String], log: File) {
    def tail: String = s"its output is in $log:\n${output.takeRight(40).mkString("\n")}"
  }

  def run(args: Seq[String], log: File, timeoutMinutes: Long = 4): Outcome = {
    val sparkHome = System.getProperty("spark.home")
    val java = new File(System.getProperty("java.home"), "bin/java").getPath
    val cmd = Seq(java, "-Xmx1g") ++ ClusterConf.sparkJvmArgs ++
      Seq("-cp", s"$sparkHome/jars/*", "org.apache.spark.deploy.SparkSubmit") ++ args
    val pb = new ProcessBuilder(cmd.asJava).redirectErrorStream(true).redirectOutput(log)
    pb.environment().put("SPARK_HOME", sparkHome)
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1")
    pb.environment().put("SPARK_SCALA_VERSION", "2.13")
    val p = pb.start()
    val finished = p.waitFor(timeoutMinutes, TimeUnit.MINUTES)
    if (!finished) p.destroyForcibly()
    Outcome(finished && p.exitValue() == 0, Files.readAllLines(log.toPath).asScala.toSeq, log)
  }

  /** `--conf k=v` for each setting. */
  def confArgs(settings: Seq[(String, String)]): Seq[String] = settings.flatMap { case (k, v) => Seq("--conf", s"$k=$v") }
}

package io.efashuffle.spark

import java.io.{File, FileOutputStream}
import java.nio.file.{Files, Path, Paths}
import java.util.jar.{JarEntry, JarOutputStream, Manifest}
import javax.imageio.ImageIO

import scala.jdk.CollectionConverters._

import org.scalatest.funsuite.AnyFunSuite

import io.efashuffle.spark.bench.{BenchOptions, SparkBench}
import io.efashuffle.spark.bench.SparkBench.JobReport

/**
 * spark-bench's jobs at a few MiB each, through the same code path as `bin/efa-shuffle
 * spark-bench all` (one cluster per job and shuffle): each job validates its own output, the
 * plugin's results equal the built-in shuffle's, the plugin really moved bytes over the fabric,
 * and the CSV and the PNG are written. Then the plugin through `spark-submit --jars`.
 */
class BenchJobsSuite extends AnyFunSuite {
  private val target = new File(ClusterConf.jobClasses).getParentFile
  private val out = new File(target, "bench-test")

  private lazy val report: SparkBench.Report = SparkBench.run(BenchOptions(job = "all", megabytes = Some(8),
    maps = Some(4), reducers = Some(4), pairs = Some(2000), salesMillions = Some(0.2), repeat = Some(1),
    executorMemoryMb = 1024, nativeBlockBytes = 256 << 10, out = out.getPath))

  private def job(name: String): JobReport = report.jobs.find(_.job.name == name).get

  private def checkJob(name: String)(extra: JobReport => Unit): Unit = test(s"$name: valid on both shuffles, same result, bytes over the fabric") {
    val j = job(name)
    assert(!j.builtin.failed && !j.plugin.failed, j.problems)
    assert(j.problems.isEmpty, j.problems)
    assert(j.builtin.result == j.plugin.result)
    assert(j.plugin.m.fabricBytes > 0, s"no byte crossed the fabric: ${j.plugin.m}")
    assert(j.builtin.m.fabricBytes == 0)
    extra(j)
  }

  checkJob("shuffle") { j => assert(j.plugin.result.head.startsWith(s"${(8L << 20) / 1008 / 4 * 4} records")) }

  checkJob("wide") { j => assert(j.plugin.result.head.startsWith(s"${(8L << 20) / 108 / 4 * 4} records")) }

  checkJob("terasort") { j =>
    // Sorted within and across partitions, complete, input checksum: TeraSortJob.validate, as problems.
    assert(j.plugin.result.head.startsWith(s"${(8L << 20) / 100} records"))
  }

  checkJob("groupby") { j => assert(j.plugin.result.head.contains(s"${4 * 2000} values")) }

  checkJob("sql") { j =>
    assert(Seq("q1", "q2", "q3", "q4").forall(q => j.plugin.result.exists(_.startsWith(s"$q "))), j.plugin.result)
    assert(j.plugin.parts.map(_._1) == Seq("sql q1", "sql q2", "sql q3", "sql q4"))
    // AQE really coalesced, read locally and split the skewed customer's partition, on the plugin.
    assert(j.plugin.notes.exists(n => n.startsWith("q2 ") && n.contains("skew join")), j.plugin.notes)
    assert(j.plugin.notes.exists(_.contains("local reads")) && j.plugin.notes.exists(_.contains("coalesced")))
  }

  checkJob("sql-4slots") { j =>
    assert(j.plugin.parts.map(_._1) == Seq("sql-4slots q1", "sql-4slots q2", "sql-4slots q3", "sql-4slots q4"))
    assert(j.job.clusterSettings(report.options)("spark.master").startsWith("local-cluster[2,4,"))
  }

  checkJob("fetch") { j =>
    // Every byte the maps wrote was fetched (a problem otherwise), and the payload arrived whole.
    assert(j.plugin.m.readBytes == j.plugin.m.writeBytes && j.plugin.m.readBytes >= (8L << 20))
    assert(j.builtin.m.readBytes == j.plugin.m.readBytes)
    assert(j.plugin.result.head.contains(s"${8L << 20} value bytes"))
    assert(j.plugin.extra("gbps") > 0 && j.builtin.extra("gbps") > 0)
    assert(j.nativeGbps.exists(_ > 0), "the native fi_read yardstick did not run (gcc and libfabric-dev needed)")
    // CPU per role was read from the executors' threads: tasks ran in task threads on both
    // shuffles, and no role exceeds the processes' total.
    for (c <- Seq(j.builtin.m.cpu, j.plugin.m.cpu)) {
      assert(c.tasks > 0 && c.jvm > 0 && c.other > -0.05, s"built-in ${j.builtin.m.cpu}, plugin ${j.plugin.m.cpu}")
    }
    // The plugin's reads go through its progress threads; the built-in shuffle has none.
    assert(j.plugin.m.cpu.progress > 0 && j.builtin.m.cpu.progress == 0, s"${j.builtin.m.cpu} / ${j.plugin.m.cpu}")
    assert(j.plugin.extra.contains("progressCpuSecPerGB") && j.builtin.extra.contains("serverCpuSecPerGB"))
  }

  test("recovery: a serving executor killed mid-read on both shuffles, right sums, time to recover measured") {
    val j = job("recovery")
    assert(!j.builtin.failed && !j.plugin.failed, j.problems)
    assert(j.problems.isEmpty, j.problems) // the kill happened and the sums are right on both sides
    assert(j.builtin.result == j.plugin.result)
    assert(j.builtin.extra("recoverySec") > 0 && j.plugin.extra("recoverySec") > 0)
  }

  test("one table, CSV and PNG chart for all jobs") {
    assert(report.ok, report.problems)
    assert(report.csv.getName == "spark-bench-all.csv" && report.chart.getName == "spark-bench-all.png")
    val csv = Files.readAllLines(report.csv.toPath).asScala
    assert(csv.head.startsWith("job,shuffle,transport,job time s"))
    assert(csv.head.contains("executor CPU s,task CPU s,Netty server CPU s,efa-progress CPU s"), csv.head)
    // 8 jobs x 2 shuffles (sql twice: 1 and 4 task slots), plus 4 SQL queries x 2 shuffles x 2.
    assert(csv.size == 1 + 16 + 16, csv.mkString("\n"))
    val png = ImageIO.read(report.chart)
    assert(png != null && png.getWidth > 500 && png.getHeight > 300)
  }

  test("scaling: reduce-stage time per point against reducers and size, both shuffles, same results, a chart") {
    val r = SparkBench.run(BenchOptions(job = "scaling", megabytes = Some(2), maps = Some(4), reducers = Some(40),
      repeat = Some(1), executorMemoryMb = 1024, out = out.getPath))
    val j = r.jobs.find(_.job.name == "scaling").get
    assert(r.ok, r.problems)
    val points = Seq("reducers=8", "reducers=40", "MiB=2", "MiB=8", "MiB=32").map(p => s"scaling $p")
    assert(j.builtin.parts.map(_._1) == points && j.plugin.parts.map(_._1) == points, j.plugin.parts)
    assert(j.plugin.parts.forall(_._2.reduceSec > 0) && j.plugin.m.fabricBytes > 0, j.plugin.parts)
    assert(j.builtin.result == j.plugin.result && j.plugin.result.size == points.size)
    val png = ImageIO.read(r.chart)
    assert(png != null && png.getWidth > 1000, "the two scaling curves are not beside the bars")
  }

  test("spark-submit: the plugin from --jars and --conf only, on executors forked by local-cluster") {
    val appJar = jarOf(Paths.get(ClusterConf.jobClasses), new File(target, "submit-check-app.jar"))
    val conf = Seq(
      "spark.shuffle.manager" -> ClusterConf.PluginManager,
      "spark.shuffle.sort.io.plugin.class" -> ClusterConf.PluginDataIO,
      "spark.shuffle.efa.provider" -> "tcp",
      "spark.shuffle.efa.nics" -> "lo",
      "spark.shuffle.efa.buffer.budget" -> "128m",
      "spark.executor.extraJavaOptions" -> ClusterConf.executorJavaOptions,
      "spark.executorEnv.SPARK_LOCAL_IP" -> "127.0.0.1",
      "spark.driver.host" -> "127.0.0.1",
      "spark.ui.enabled" -> "false") // and Spark's defaults otherwise (readHostLocalDisk=true), as a user submits
    val submitted = SparkSubmitProcess.run(Seq("--master", "local-cluster[2,1,1024]",
      "--class", SubmitCheck.getClass.getName.stripSuffix("$"), "--jars", ClusterConf.pluginJar) ++
      SparkSubmitProcess.confArgs(conf) :+ appJar.getPath, new File(target, "submit-check.log"))
    val checks = submitted.output.filter(_.startsWith("SUBMIT-CHECK ")).map(_.stripPrefix("SUBMIT-CHECK "))
    assert(submitted.ok, s"spark-submit failed; ${submitted.tail}")
    assert(checks.contains(s"shuffle manager ${ClusterConf.PluginManager}"), checks)
    assert(checks.exists(_.startsWith(s"terasort ${(4L << 20) / 100} records")) &&
      checks.exists(_.endsWith("problems: ")), checks)
    val expected = (0 until 200000).map(i => (if (i % 3 == 0) 7 else i % 5000, i.toLong)).groupBy(_._1)
      .map { case (k, vs) => (k, vs.size, vs.map(_._2).sum) }.toSeq.sortBy(_._1)
    assert(checks.contains(s"groupBySkewed ${expected.size} keys, hash ${expected.hashCode}"), checks)
    assert(checks.contains("fabric starts ended: true") && checks.contains("groupBySkewed once started: same"), checks)
    assert(checks.find(_.startsWith("fabricBytes once started ")).exists(_.stripPrefix("fabricBytes once started ").toLong > 0), checks)
    val app = checks.find(_.startsWith("app ")).get.stripPrefix("app ")
    val logs = ClusterSupport.executorLogs(app)
    assert(logs.size == 2, s"executor logs under ${System.getProperty("spark.home")}/work/$app")
    logs.foreach { case (id, text) =>
      assert(text.contains("EFA shuffle on executor"), s"no plugin start line in executor $id's log")
    }
  }

  /** The application jar spark-submit needs: this module's classes (the plugin stays out). */
  private def jarOf(classes: Path, jar: File): File = {
    val manifest = new Manifest()
    manifest.getMainAttributes.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0")
    val out = new JarOutputStream(new FileOutputStream(jar), manifest)
    try {
      Files.walk(classes).iterator().asScala.filter(Files.isRegularFile(_)).foreach { f =>
        out.putNextEntry(new JarEntry(classes.relativize(f).toString.replace(File.separatorChar, '/')))
        Files.copy(f, out)
        out.closeEntry()
      }
    } finally out.close()
    jar
  }
}

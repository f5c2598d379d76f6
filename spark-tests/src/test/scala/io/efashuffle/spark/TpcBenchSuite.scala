package io.efashuffle.spark

import java.io.File
import java.nio.file.{Files, Paths}

import org.scalatest.funsuite.AnyFunSuite

import io.efashuffle.spark.bench.{BenchOptions, TpcBench, TpcSideProcess}
import io.efashuffle.tpc.{Comparison, ResultsFile, TpcBenchMain}

/**
 * TPC-DS and TPC-H at a tiny scale factor through the benchmark's own code, with both shuffles,
 * asserting equal results (not timings): `spark-bench tpcds` on two local clusters with an
 * executor SIGKILLed in the middle of q14a and q72, under Spark's default readHostLocalDisk=true;
 * and tpc-bench's jar submitted with `spark-submit` to a standalone Master and Workers started
 * here, once per shuffle, with data on a local path, the two results files then compared.
 */
class TpcBenchSuite extends AnyFunSuite {
  private val target = new File(ClusterConf.jobClasses).getParentFile
  private val data = new File(target, "tpc-test-data")

  test("spark-bench tpcds sf 0.01: same results on both shuffles, an executor killed during q14a and q72") {
    val out = new File(target, "tpc-bench-test")
    val queries = Seq("q3", "q14a", "q72")
    val report = TpcBench.run(BenchOptions(job = "tpcds", scaleFactor = 0.01, queries = queries, repeat = Some(1),
      killDuring = Seq("q14a", "q72"), data = Some(new File(data, "tpcds").getPath), executorMemoryMb = 1024,
      conf = Map("spark.shuffle.readHostLocalDisk" -> "true"), out = out.getPath))
    assert(report.ok, report.problems)
    val c = report.comparison
    assert(c.queries.map(_._1.query) == queries)
    assert(c.queries.forall { case (b, o) => c.verdict(b, o) == Comparison.Same }, c.cells)
    val Seq(builtin, plugin) = report.resultFiles.map(ResultsFile.read)
    assert(plugin.header.shuffleManager == ClusterConf.PluginManager && builtin.header.shuffleManager == "sort")
    // Each kill struck on both shuffles in the middle of its query (the results above are still equal).
    Seq(builtin, plugin).foreach { side =>
      Seq("q14a", "q72").foreach { q =>
        assert(side.runs.find(_.query == q).exists(_.extra.get(TpcBenchMain.FaultFired).contains(1.0)),
          s"${side.header.label}: no executor was killed during $q")
      }
      assert(side.runs.filter(_.query == "q3").forall(_.extra.get(TpcBenchMain.FaultFired).isEmpty))
    }
    val fabric = plugin.runs.flatMap(_.extra.get(TpcSideProcess.FabricBytes)).sum
    assert(fabric > 0, "the plugin read nothing over the fabric")
    assert(report.csv.length() > 0 && javax.imageio.ImageIO.read(report.chart) != null)
  }

  test("spark-submit to a standalone cluster: tpch sf 0.01 once per shuffle, then compare") {
    val results = new File(target, "tpc-submit")
    results.mkdirs()
    StandaloneCluster.run(Seq(Map.empty, Map.empty), workerMemoryMb = 1024) { cluster =>
      def submit(label: String, shuffle: Seq[(String, String)], jars: Seq[String]): File = {
        val file = new File(results, s"$label.jsonl")
        val conf = Seq("spark.executor.memory" -> "1g", "spark.driver.host" -> "127.0.0.1",
          "spark.executorEnv.SPARK_LOCAL_IP" -> "127.0.0.1", "spark.ui.enabled" -> "false",
          "spark.executor.extraJavaOptions" -> ClusterConf.executorJavaOptions) ++ shuffle
        val submitted = SparkSubmitProcess.run(Seq("--master", cluster.masterUrl, "--class", "io.efashuffle.tpc.TpcBenchMain") ++
          (if (jars.isEmpty) Nil else Seq("--jars", jars.mkString(","))) ++ SparkSubmitProcess.confArgs(conf) ++
          Seq(ClusterConf.tpcJar, "run", "tpch", "--sf", "0.01", "--queries", "q1,q3,q18", "--repeat", "1",
            "--data", new File(data, "tpch").getPath, "--label", label, "--results", file.getPath),
          new File(results, s"$label.log"), timeoutMinutes = 5)
        assert(submitted.ok, s"spark-submit ($label) failed; ${submitted.tail}")
        file
      }
      val builtin = submit("built-in", Nil, Nil)
      val plugin = submit("efa-plugin", Seq("spark.shuffle.manager" -> ClusterConf.PluginManager,
        "spark.shuffle.sort.io.plugin.class" -> ClusterConf.PluginDataIO, "spark.shuffle.efa.provider" -> "tcp",
        "spark.shuffle.efa.nics" -> "lo"), Seq(ClusterConf.pluginJar))
      assert(ResultsFile.read(plugin).header.shuffleManager == ClusterConf.PluginManager)
      val compared = new java.io.ByteArrayOutputStream()
      val exit = Console.withOut(compared)(TpcBenchMain.execute("compare", builtin.getPath, plugin.getPath))
      val text = compared.toString
      assert(exit == 0, text)
      Seq("q1", "q3", "q18").foreach(q => assert(text.linesIterator.exists(l => l.startsWith(s"| $q ") && l.contains("same")), text))
      // A results file that is not one is refused with its name.
      val bogus = Files.writeString(Paths.get(results.getPath, "bogus.jsonl"), "{}\n").toFile
      val e = intercept[IllegalArgumentException](ResultsFile.read(bogus))
      assert(e.getMessage.contains("bogus.jsonl"))
    }
  }
}

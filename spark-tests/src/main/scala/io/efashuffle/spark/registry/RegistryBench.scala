package io.efashuffle.spark.registry

import java.awt.Color
import java.io.File

import scala.jdk.CollectionConverters._

import org.knowm.xchart.{BitmapEncoder, XYChart, XYChartBuilder}
import org.knowm.xchart.style.Styler.LegendPosition
import picocli.CommandLine
import picocli.CommandLine.{Command, Option => CliOption}

import io.efashuffle.spark.bench.ResultTable

/**
 * `bin/efa-shuffle registry-bench`: the plugin's driver registry under a simulated cluster of
 * 10 to thousands of executors ([[SimulatedApplication]]), one fresh driver JVM per application,
 * beside Spark's own MapOutputTracker holding the same shuffle. Prints the tables, writes
 * `registry-bench.csv` and `registry-bench.png` in `--out`, exits 1 when an invariant broke.
 */
object RegistryBench {
  /** The message kinds of the registry protocol an executor sends, in the tables' order. */
  val Kinds: Seq[String] = Seq("PUBLISH_SEGMENT", "SYNC_PEERS", "PUBLISH_MAP_OUTPUT", "LOOKUP_MAP_OUTPUTS",
    "REPORT_STATS", "LOOKUP_SEGMENT", "REMOVE_SEGMENT")

  final case class Measured(run: AppRun, tracker: Map[String, Long])

  def main(args: Array[String]): Unit = {
    val command = new RegistryBenchCommand
    val cli = new CommandLine(command)
    val exit = try {
      cli.parseArgs(args: _*)
      if (cli.isUsageHelpRequested) { cli.usage(System.out); 0 }
      else {
        val results = run(command.shapes(), new File(command.out), command.driverHeapMb, println)
        val problems = results.flatMap(m => m.run.problems.map(p => s"${m.run.shape.executors} executors, " +
          s"${m.run.shape.maps} maps: $p"))
        problems.foreach(p => System.err.println(s"registry-bench: $p"))
        if (problems.isEmpty) 0 else 1
      }
    } catch {
      case e: CommandLine.ParameterException =>
        System.err.println(s"registry-bench: ${e.getMessage}")
        e.getCommandLine.usage(System.err)
        2
    }
    sys.exit(exit)
  }

  def run(shapes: Seq[AppShape], out: File, driverHeapMb: Int, say: String => Unit): Seq[Measured] = {
    val started = System.nanoTime()
    val results = shapes.zipWithIndex.map { case (shape, i) =>
      val elapsed = (System.nanoTime() - started) / 1e9
      say(f"registry-bench: application ${i + 1} of ${shapes.size}: ${shape.executors} executors, ${shape.maps} map " +
        f"outputs, ${shape.reducers} reducers ($elapsed%.0f s so far)")
      val driver = new RegistryDriverProcess(driverHeapMb)
      try {
        SimulatedApplication.warmUp(driver)
        val run = SimulatedApplication.run(shape, driver, p => say(s"  $p"))
        Measured(run, driver.askLong(s"tracker ${shape.maps} ${shape.reducers} ${shape.executors}"))
      } finally driver.close()
    }
    tables(results).foreach(say)
    out.mkdirs()
    ResultTable.writeCsv(new File(out, "registry-bench.csv"), header, results.map(cells))
    say(s"CSV: ${new File(out, "registry-bench.csv")}; chart: ${chart(results, new File(out, "registry-bench.png"))}")
    results
  }

  private def ms(nanos: Long): String = f"${nanos / 1e6}%.1f"

  /** The registry's CPU during the shuffle (map and reduce stages) as a share of one core. */
  def handlerShare(r: AppRun): Double = {
    val s = Seq(r.phase("map"), r.phase("reduce"))
    s.map(_.handlerCpuSec).sum / s.map(_.seconds).sum
  }

  def processShare(r: AppRun): Double = {
    val s = Seq(r.phase("map"), r.phase("reduce"))
    s.map(_.cpuSec).sum / s.map(_.seconds).sum
  }

  val header: Seq[String] = Seq("executors", "map outputs", "reducers", "registry CPU % of a core (shuffle)",
    "driver JVM CPU % (shuffle)", "driver CPU s (join, map, reduce)", "ask p50 ms", "ask p99 ms",
    "driver time per message p99 ms",
    "join to servable p50 / p99 ms", "driver heap per executor KiB", "registry heap per map output B", "registry heap MiB",
    "MapOutputTracker heap MiB", "registry / tracker heap", "tracker serialized MiB", "lookups held back",
    "problems")

  private def cells(m: Measured): Seq[String] = {
    val r = m.run
    val trackerHeap = m.tracker("heap")
    Seq(s"${r.shape.executors}", s"${r.shape.maps}", s"${r.shape.reducers}", f"${100 * handlerShare(r)}%.1f",
      f"${100 * processShare(r)}%.1f", r.phases.map(p => f"${p.cpuSec}%.2f").mkString(" / "),
      ms(MessageLog.quantile(r.allWaits, 0.5)), ms(MessageLog.quantile(r.allWaits, 0.99)),
      f"${r.served.getOrElse("all.p99", 0L) / 1000.0}%.2f",
      s"${ms(MessageLog.quantile(r.joinToServable, 0.5))} / ${ms(MessageLog.quantile(r.joinToServable, 0.99))}",
      f"${r.heapPerExecutor / 1024}%.1f", f"${r.registryHeap.toDouble / r.shape.maps}%.0f", f"${r.registryHeap / 1048576.0}%.1f",
      f"${trackerHeap / 1048576.0}%.1f", f"${r.registryHeap.toDouble / trackerHeap}%.2f",
      f"${m.tracker("serializedBytes") / 1048576.0}%.1f", s"${r.lookupNotYet}",
      if (r.problems.isEmpty) "none" else r.problems.size.toString)
  }

  /** The cost table, then messages per second by kind (over the whole application) and each kind's ask p99. */
  def tables(results: Seq[Measured]): Seq[String] = {
    val rates = results.map { m =>
      val r = m.run
      val seconds = r.phases.map(_.seconds).sum
      Seq(s"${r.shape.executors}", s"${r.shape.maps}", f"$seconds%.1f") ++ Kinds.map { k =>
        val n = r.phases.map(_.messages.getOrElse(k, 0L)).sum
        val p99 = MessageLog.quantile(r.waits.getOrElse(k, Array.empty), 0.99)
        val driverP99 = r.served.get(s"$k.p99").map(us => f" / ${us / 1000.0}%.2f").getOrElse("")
        if (n == 0) "-" else f"${n / seconds}%.0f" + (if (p99 > 0) s" (${ms(p99)}$driverP99)" else "")
      }
    }
    Seq("", "Driver registry under a simulated cluster (one driver JVM per application):") ++
      ResultTable.format(header, results.map(cells)) ++
      Seq("", "Messages per second to the driver by kind, over the application (asks: p99 ms of the executor's " +
        "wait / of the driver's own time with it):") ++
      ResultTable.format(Seq("executors", "map outputs", "seconds") ++ Kinds, rates)
  }

  /** Registry CPU share, heap against Spark's tracker, and ask p99 against executors, one curve per map count. */
  private def chart(results: Seq[Measured], file: File): File = {
    System.setProperty("java.awt.headless", "true")
    def xy(title: String, y: String, series: Seq[(String, Measured => Double)]): XYChart = {
      val c = new XYChartBuilder().width(520).height(420).title(title).xAxisTitle("executors").yAxisTitle(y).build()
      c.getStyler.setLegendPosition(LegendPosition.OutsideS)
      c.getStyler.setChartBackgroundColor(Color.WHITE)
      c.getStyler.setXAxisLogarithmic(true)
      for ((name, f) <- series; maps <- results.map(_.run.shape.maps).distinct) {
        val points = results.filter(_.run.shape.maps == maps).sortBy(_.run.shape.executors)
        c.addSeries(s"$name, $maps maps", points.map(p => Double.box(p.run.shape.executors.toDouble)).asJava,
          points.map(p => Double.box(f(p))).asJava)
      }
      c
    }
    val charts = Seq(
      xy("registry CPU during the shuffle", "% of a core", Seq("registry" -> (m => 100 * handlerShare(m.run)))),
      xy("driver heap", "MiB", Seq("registry" -> (m => m.run.registryHeap / 1048576.0),
        "MapOutputTracker" -> (m => m.tracker("heap") / 1048576.0))),
      xy("ask wait, p99", "ms", Seq("asks" -> (m => MessageLog.quantile(m.run.allWaits, 0.99) / 1e6))))
    val images = charts.map(c => BitmapEncoder.getBufferedImage(c))
    val img = new java.awt.image.BufferedImage(images.map(_.getWidth).sum, images.map(_.getHeight).max,
      java.awt.image.BufferedImage.TYPE_INT_RGB)
    val g = img.createGraphics()
    try images.foldLeft(0) { (x, i) => g.drawImage(i, x, 0, null); x + i.getWidth } finally g.dispose()
    file.getParentFile.mkdirs()
    javax.imageio.ImageIO.write(img, "png", file)
    file
  }
}

/** registry-bench's command line. */
@Command(name = "registry-bench", mixinStandardHelpOptions = true, sortOptions = false,
  description = Array("The plugin's driver registry (a real Spark RpcEnv in a driver JVM of its own) under simulated " +
    "executors (real RpcEnv clients on loopback) following the plugin's protocol, beside Spark's MapOutputTracker " +
    "for the same shuffle: tables on stdout, CSV and PNG chart in --out."))
final class RegistryBenchCommand {
  @CliOption(names = Array("--executors"), split = ",", paramLabel = "N,...", description = Array("cluster sizes (default 10,100,1000)"))
  var executors: Array[Int] = Array(10, 100, 1000)

  @CliOption(names = Array("--maps"), split = ",", paramLabel = "N,...", description = Array("map outputs of the shuffle (default 10000,100000)"))
  var maps: Array[Int] = Array(10000, 100000)

  @CliOption(names = Array("--reducers"), paramLabel = "N", description = Array("reduce tasks (default 1000)"))
  var reducers: Int = 1000

  @CliOption(names = Array("--task-rate"), paramLabel = "N", description = Array("tasks a second across the cluster (default 2000)"))
  var taskRate: Int = 2000

  @CliOption(names = Array("--waves"), paramLabel = "N", description = Array("waves the executors join in (default 4)"))
  var waves: Int = 4

  @CliOption(names = Array("--lost"), paramLabel = "N", description = Array("executors lost mid-map-stage and replaced (default 5%, at least 1)"))
  var lost: Int = -1

  @CliOption(names = Array("--waiting"), paramLabel = "N",
    description = Array("executors whose reads wait on a paused server during the reduce stage (default 10%, at least 1)"))
  var waiting: Int = -1

  @CliOption(names = Array("--sync-interval-ms"), paramLabel = "MS", description = Array("peers.syncInterval (default 1000, the plugin's)"))
  var syncIntervalMs: Long = 1000

  @CliOption(names = Array("--driver-heap-mb"), paramLabel = "MB", description = Array("the driver JVM's -Xmx (default 4096)"))
  var driverHeapMb: Int = 4096

  @CliOption(names = Array("--out"), paramLabel = "DIR", description = Array("where the CSV and chart go (default target/bench)"))
  var out: String = "target/bench"

  def shapes(): Seq[AppShape] = for (m <- maps.toSeq; n <- executors.toSeq) yield
    AppShape(n, m, reducers, waves, lost, waiting, taskRate, syncIntervalMs)
}

package io.efashuffle.spark.bench

import java.io.File
import java.nio.file.{Files, Path}

import scala.concurrent.{Await, Future}
import scala.concurrent.ExecutionContext.Implicits.global
import scala.concurrent.duration._
import scala.util.control.NonFatal

import org.apache.spark.{FetchFailed, SparkContext, Success}
import org.apache.spark.scheduler.{SparkListener, SparkListenerStageSubmitted, SparkListenerTaskEnd}
import org.apache.spark.sql.SparkSession

import io.efashuffle.spark.{ClusterConf, ExecutorProbes, FaultJobs}

/**
 * `bin/efa-shuffle spark-bench faults`: each fault of the fault suite, on a fresh cluster of 3
 * executors, once with Spark's built-in shuffle and once with the plugin, the same job (an
 * 8-map, 4-reducer sum, checked against the expected sums). A listener counts what Spark's
 * recovery did: task attempts, failed ones, FetchFailed ones and the executors they named, and
 * stage attempts resubmitted. The question is blame: a FetchFailed naming an executor the fault
 * did not touch makes Spark drop that executor's map outputs in every shuffle. Faults of the
 * plugin's own (its rail failing, its outputs withdrawn) run the plain job on the built-in side,
 * the baseline of a fault-free run. Exits 1 if a result is wrong or the plugin named an
 * untouched executor.
 */
object FaultTable {
  private val Records = 240000
  private val Executors = 3
  private val StarvedRecords = 32000

  /** What Spark's recovery did in one run. */
  final case class Count(seconds: Double, tasks: Int, failed: Int, fetchFailed: Int, named: Set[String],
      stageRetries: Int, touched: Set[String], right: Boolean, error: Option[String]) {
    def untouchedNamed: Set[String] = named -- touched
  }

  private final class Counter extends SparkListener {
    @volatile var tasks = 0
    @volatile var failed = 0
    @volatile var fetchFailed = 0
    @volatile var named = Set.empty[String]
    @volatile var stageRetries = 0

    override def onTaskEnd(e: SparkListenerTaskEnd): Unit = synchronized {
      tasks += 1
      e.reason match {
        case Success =>
        case f: FetchFailed =>
          failed += 1
          fetchFailed += 1
          Option(f.bmAddress).foreach(a => named += a.executorId)
        case _ => failed += 1
      }
    }

    override def onStageSubmitted(e: SparkListenerStageSubmitted): Unit = synchronized {
      if (e.stageInfo.attemptNumber() > 0) stageRetries += 1
    }
  }

  /** One fault: what it does to a running job; `pluginOnly` faults run the plain job on the built-in side. */
  private final case class Fault(name: String, providers: Set[String], pluginOnly: Boolean,
      run: (SparkContext, Path, Boolean) => Map[Int, Long], records: Int = Records,
      conf: Map[String, String] = Map.empty, pluginConf: Map[String, String] = Map.empty)

  private def shuffled(sc: SparkContext) = {
    val s = FaultJobs.valueShuffle(sc, Records)
    s.count() // map outputs in place before the fault
    s
  }

  private val Faults: Seq[Fault] = Seq(
    Fault("serving executor killed (SIGKILL) mid-reduce", Set("tcp", "shm", "sockets", "efa"), pluginOnly = false,
      (sc, marker, _) => ExecutorProbes.sumWhileKillingAnExecutor(sc, Records, marker)),
    Fault("serving executor crashed (Runtime.halt) mid-reduce", Set("tcp", "shm", "sockets", "efa"), pluginOnly = false,
      (sc, marker, _) => FaultJobs.sumsWhileAnExecutorCrashes(shuffled(sc), marker)),
    Fault("serving executor paused 6 s (SIGSTOP) mid-reduce", Set("tcp", "shm", "sockets", "efa"), pluginOnly = false,
      (sc, marker, _) => FaultJobs.sumsWhilePausingAnExecutor(shuffled(sc), marker, pauseMillis = 6000)),
    Fault("connections broken (ss -K) again and again mid-reduce", Set("tcp"), pluginOnly = false,
      (sc, _, plugin) => sumsWhileBreakingConnections(sc, plugin)),
    // The executor whose rail fails is a reader (its own fault) and a server: the other executors'
    // readers find its outputs withdrawn in the middle of their runs.
    Fault("an executor's rail fails mid-reduce (its reads: own fault; its outputs: withdrawn mid-run)",
      Set("tcp", "shm", "sockets", "efa"), pluginOnly = true,
      (sc, marker, plugin) => {
        val s = shuffled(sc)
        if (plugin) FaultJobs.sumsFailingOwnFabricMidRead(s, marker) else FaultJobs.sums(s)
      }),
    // The watchdog fails a rail whose thread stays inside the provider past the operation timeout
    // and a 5 s grace; a 5 s timeout keeps the row short.
    Fault("an executor's rail stalls in the provider mid-reduce (the watchdog fails it)",
      Set("tcp", "shm", "sockets", "efa"), pluginOnly = true,
      (sc, marker, plugin) => {
        val s = shuffled(sc)
        if (plugin) FaultJobs.sumsStallingOwnRailMidRead(s, marker) else FaultJobs.sums(s)
      }, pluginConf = Map("spark.shuffle.efa.transport.operationTimeoutMillis" -> "5000")),
    Fault("outputs withdrawn (a server's progress thread dies) before the reduce", Set("tcp", "shm", "sockets", "efa"),
      pluginOnly = true,
      (sc, marker, plugin) => {
        val s = shuffled(sc)
        if (plugin) FaultJobs.failOneProgressThread(sc, marker)
        FaultJobs.sums(s)
      }),
    // Each task reads three shuffles side by side, as a join does, from a pool of 16 x 64 KiB
    // buffers that each reader may fill alone: the readers not being consumed hold the buffers the
    // consumed one needs, across the executor's tasks too.
    Fault("receive pool starved: 3 shuffles read side by side from a 1 MiB pool", Set("tcp", "shm", "sockets", "efa"),
      pluginOnly = true,
      (sc, _, _) => {
        val n = StarvedRecords
        val (a, b, c) = (FaultJobs.valueShuffle(sc, n), FaultJobs.valueShuffle(sc, n), FaultJobs.valueShuffle(sc, n))
        Seq(a, b, c).foreach(_.count())
        val got = FaultJobs.interleavedSums(a, b, c)
        if (got.values.forall { case (x, y, z) => x == y && y == z }) got.map { case (p, (x, _, _)) => p -> x } else Map.empty
      }, records = StarvedRecords, conf = Map("spark.shuffle.compress" -> "false"), // blocks of ~200 KiB
      pluginConf = Map("spark.shuffle.efa.receive.poolSize" -> "1m", "spark.shuffle.efa.receive.bufferSize" -> "64k")))

  /** The reduce runs while every established connection of the executors' data ports is broken, every 10 ms. */
  private def sumsWhileBreakingConnections(sc: SparkContext, plugin: Boolean): Map[Int, Long] = {
    val s = shuffled(sc)
    val ports =
      if (plugin) FaultJobs.fabricPorts()
      else sc.getExecutorMemoryStatus.keys.toSeq.map(_.split(':').last.toInt)
          .filterNot(_ == org.apache.spark.SparkEnv.get.blockManager.blockManagerId.port) // executors' block managers
    val job = Future(FaultJobs.sums(s, sleepEvery = 500))
    while (!job.isCompleted) {
      FaultJobs.breakConnections(ports)
      Thread.sleep(10)
    }
    Await.result(job, 5.minutes)
  }

  final case class Line(fault: String, builtin: Count, plugin: Count)

  def run(o: BenchOptions): Seq[String] = {
    val faults = Faults.filter(_.providers.contains(o.provider))
    val lines = faults.zipWithIndex.map { case (f, i) =>
      if (o.progress) println(s"fault ${i + 1} of ${faults.size}: ${f.name}")
      Line(f.name, runOnce(f, o, plugin = false), runOnce(f, o, plugin = true))
    }
    val header = Seq("fault", "shuffle", "result", "s", "task attempts", "failed", "FetchFailed", "executors named",
      "untouched named", "stage retries", "struck")
    def cells(fault: String, shuffle: String, c: Count) = Seq(fault, shuffle,
      c.error.map(_ => "error").getOrElse(if (c.right) "right" else "WRONG"), f"${c.seconds}%.1f", c.tasks.toString,
      c.failed.toString, c.fetchFailed.toString, c.named.toSeq.sorted.mkString(" ").ifEmpty("-"),
      c.untouchedNamed.size.toString, c.stageRetries.toString, c.touched.toSeq.sorted.mkString(" ").ifEmpty("-"))
    val rows = lines.flatMap { l =>
      val pluginOnly = faults.find(_.name == l.fault).exists(_.pluginOnly)
      Seq(cells(l.fault, if (pluginOnly) s"${SparkBench.Builtin} (no fault)" else SparkBench.Builtin, l.builtin),
        cells(l.fault, SparkBench.Plugin, l.plugin))
    }
    println(s"spark-bench faults: ${ResultTable.machine(o.copy(executors = Executors))}, $Records records " +
      "(8 maps -> 4 reducers), blocks through Netty on the built-in side (spark.shuffle.readHostLocalDisk=false)")
    ResultTable.format(header, rows).foreach(println)
    ResultTable.writeCsv(new File(o.out, s"spark-bench-faults-${o.provider}.csv"), header, rows)
    lines.flatMap { l =>
      Seq(l.builtin -> SparkBench.Builtin, l.plugin -> SparkBench.Plugin).flatMap { case (c, side) =>
        c.error.map(e => s"faults/$side: ${l.fault}: $e").toSeq ++
          (if (c.error.isEmpty && !c.right) Seq(s"faults/$side: ${l.fault}: wrong result") else Nil)
      } ++ (if (l.plugin.untouchedNamed.nonEmpty)
        Seq(s"faults: ${l.fault}: the plugin named executor(s) ${l.plugin.untouchedNamed.mkString(" ")} that the fault " +
          s"did not touch (struck: ${l.plugin.touched.mkString(" ").ifEmpty("none")})") else Nil)
    }
  }

  private implicit class IfEmpty(s: String) {
    def ifEmpty(other: String): String = if (s.isEmpty) other else s
  }

  private def runOnce(f: Fault, o: BenchOptions, plugin: Boolean): Count = {
    val app = s"spark-bench-faults-${if (plugin) "plugin" else "builtin"}"
    val base = ClusterConf.throughNetty(
      if (plugin) ClusterConf.plugin(app, o.provider, Executors, o.executorMemoryMb, o.executorCores)
      else ClusterConf.builtin(app, Executors, o.executorMemoryMb, o.executorCores))
    val conf = (o.conf ++ f.conf ++ (if (plugin) f.pluginConf else Map.empty)).foldLeft(base) { case (c, (k, v)) =>
      c.set(k, v)
    }
    val marker = Files.createTempDirectory("efa-fault").resolve("struck")
    val spark = SparkSession.builder().config(conf).getOrCreate()
    try {
      val sc = spark.sparkContext
      ExecutorProbes.awaitFabricStarts(sc, Executors)
      val counter = new Counter
      sc.addSparkListener(counter)
      val t0 = System.nanoTime()
      val result = try Right(f.run(sc, marker, plugin)) catch { case NonFatal(e) => Left(e.toString) }
      val seconds = (System.nanoTime() - t0) / 1e9
      org.apache.spark.SparkInternals.drain(sc)
      Count(seconds, counter.tasks, counter.failed, counter.fetchFailed, counter.named, counter.stageRetries,
        FaultJobs.touchedBy(marker), result.toOption.contains(FaultJobs.expectedSums(f.records)), result.left.toOption)
    } finally spark.stop()
  }
}

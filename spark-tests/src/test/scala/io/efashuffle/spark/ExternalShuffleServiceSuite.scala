package io.efashuffle.spark

import java.nio.file.{Files, Path, Paths}

import scala.jdk.CollectionConverters._

import org.apache.spark.{SparkConf, SparkInternals}
import org.apache.spark.scheduler.{SparkListener, SparkListenerExecutorRemoved, SparkListenerStageSubmitted}
import org.scalatest.funsuite.AnyFunSuite

/**
 * Dynamic allocation with Spark's external shuffle service (started by the test on 127.0.0.1):
 * map outputs go to files, executors idle out and leave, the service keeps serving their files to
 * a later job, and when the shuffle is cleaned the driver's resolver names the files
 * (`getBlocksForShuffle`) and the service deletes them. The same scenario runs on Spark's built-in
 * shuffle first, on the same cluster configuration; results must be equal.
 */
class ExternalShuffleServiceSuite extends AnyFunSuite {
  private val ReceivePoolMb = 32
  private val Wait = 60000L

  /** What one application observed. */
  private case class Outcome(appId: String, first: Seq[(Int, Long)], second: Seq[(Int, Long)],
      mapOutputs: Seq[(String, Long)], removedExecutors: Set[String], filesWhileServed: Seq[Path],
      filesAfterClean: Seq[Path], mapStagesRerun: Int, bytesServedToSecondJob: Long)

  private def dynamicAllocation(conf: SparkConf, service: LocalShuffleService): SparkConf =
    conf.set("spark.shuffle.service.enabled", "true")
      .set("spark.shuffle.service.port", service.port.toString)
      .set("spark.shuffle.service.removeShuffle", "true")
      .set("spark.dynamicAllocation.enabled", "true")
      .set("spark.dynamicAllocation.minExecutors", "0")
      .set("spark.dynamicAllocation.initialExecutors", "2")
      .set("spark.dynamicAllocation.maxExecutors", "2")
      .set("spark.dynamicAllocation.executorIdleTimeout", "2s")
      .set("spark.dynamicAllocation.cachedExecutorIdleTimeout", "2s")
      .set("spark.dynamicAllocation.schedulerBacklogTimeout", "1s")
      .set("spark.shuffle.efa.receive.poolSize", s"${ReceivePoolMb}m")

  test("dynamic allocation + external shuffle service: files outlive their executors, are deleted with the shuffle") {
    LocalShuffleService.run { service =>
      // The built-in shuffle first: the expected result, and proof that the scenario holds in Spark itself.
      val builtin = scenario(dynamicAllocation(ClusterConf.builtin("ess-builtin"), service), service)
      val plugin = scenario(dynamicAllocation(ClusterConf.plugin("ess-plugin", provider = "tcp"), service), service)

      for ((name, o) <- Seq("built-in" -> builtin, "plugin" -> plugin)) withClue(s"$name: $o\n") {
        // Every map output is a pair of files, and the executors that wrote them left.
        assert(o.filesWhileServed.count(_.toString.endsWith(".data")) == o.mapOutputs.size)
        assert(o.filesWhileServed.count(_.toString.endsWith(".index")) == o.mapOutputs.size)
        assert(o.mapOutputs.map(_._1).toSet.subsetOf(o.removedExecutors))
        // A second job read them from the service after their executors had gone, without
        // recomputing a map task.
        assert(o.mapStagesRerun == 0)
        assert(o.bytesServedToSecondJob > 0)
        assert(o.second == o.first)
        // Cleaning the shuffle deleted them through the service (the driver's resolver named them).
        assert(o.filesAfterClean.isEmpty)
      }
      assert(plugin.first == builtin.first, "the plugin's result differs from the built-in shuffle's")

      // The plugin started on the executors that wrote map outputs, in its file mode: nothing
      // staged and no map-output memory registered (only the receive pool).
      val logs = ClusterSupport.executorLogs(plugin.appId)
      plugin.mapOutputs.map(_._1).distinct.foreach { id =>
        val log = logs(id)
        assert(log.linesIterator.exists(l => l.contains(s"EFA shuffle on executor $id:") && l.contains(
          s"registered $ReceivePoolMb MiB (map outputs 0 MiB, off: external shuffle service serves files only")),
          log.takeRight(4000))
      }
    }
  }

  /**
   * One application: a shuffle job; its executors idle out; the same shuffle read again (on new
   * executors); the shuffle cleaned. Records what the external shuffle service's dirs held.
   */
  private def scenario(conf: SparkConf, service: LocalShuffleService): Outcome =
    ClusterSupport.withContext(conf) { sc =>
      val removed = java.util.concurrent.ConcurrentHashMap.newKeySet[String]()
      val mapStages = new java.util.concurrent.atomic.AtomicInteger()
      sc.addSparkListener(new SparkListener {
        override def onExecutorRemoved(e: SparkListenerExecutorRemoved): Unit = removed.add(e.executorId)
        override def onStageSubmitted(e: SparkListenerStageSubmitted): Unit =
          if (SparkInternals.writesShuffle(e.stageInfo)) mapStages.incrementAndGet()
      })
      val (shuffled, first) = ExecutorProbes.numberedShuffle(sc, 3)
      val shuffleId = SparkInternals.shuffleId(shuffled)
      val mapOutputs = SparkInternals.mapOutputs(sc, shuffleId)
      // Where the service looks for these executors' files: the dirs they registered with it.
      val dirs = service.localDirs(sc.applicationId, mapOutputs.map(_._1).toSet).values.flatten.toSeq
      def files = shuffleFiles(dirs, shuffleId)

      awaitUntil("every executor idled out and was removed") { SparkInternals.executorIds(sc).isEmpty }
      val served = files
      SparkInternals.drain(sc)
      val mapStagesBefore = mapStages.get()
      val bytesServedBefore = service.bytesServed
      val second = shuffled.collect().sortBy(_._1).toSeq
      SparkInternals.drain(sc)
      val bytesServed = service.bytesServed - bytesServedBefore

      SparkInternals.cleanShuffle(sc, shuffleId)
      val deadline = System.currentTimeMillis() + 10000
      while (files.nonEmpty && System.currentTimeMillis() < deadline) Thread.sleep(100)
      try Outcome(sc.applicationId, first, second, mapOutputs, removed.asScala.toSet, served, files,
        mapStages.get() - mapStagesBefore, bytesServed)
      finally service.applicationRemoved(sc.applicationId)
    }

  /**
   * A shuffle's data and index files under the given dirs (the files `getBlocksForShuffle` names;
   * Spark leaves its checksum files to the application's clean-up).
   */
  private def shuffleFiles(dirs: Seq[String], shuffleId: Int): Seq[Path] = dirs.flatMap { d =>
    val root = Paths.get(d)
    if (!Files.isDirectory(root)) Nil
    else {
      val stream = Files.walk(root)
      try stream.iterator().asScala.filter { p =>
        val name = p.getFileName.toString
        name.startsWith(s"shuffle_${shuffleId}_") && (name.endsWith(".data") || name.endsWith(".index"))
      }.toList
      finally stream.close()
    }
  }

  private def awaitUntil(what: String)(condition: => Boolean): Unit = {
    val deadline = System.currentTimeMillis() + Wait
    while (!condition) {
      assert(System.currentTimeMillis() < deadline, s"not within ${Wait / 1000} s: $what")
      Thread.sleep(200)
    }
  }
}

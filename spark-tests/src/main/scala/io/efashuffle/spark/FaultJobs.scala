package io.efashuffle.spark

import java.lang.foreign.ValueLayout
import java.nio.file.{Files, Path, Paths}

import scala.jdk.CollectionConverters._

import org.apache.spark.{HashPartitioner, SparkContext, SparkEnv, TaskContext}
import org.apache.spark.rdd.RDD
import org.apache.spark.shuffle.efa.EfaShuffleManager

/**
 * Executor-side code of the fault suites (it must be on the executors' class path, as job code
 * is): a staged shuffle whose reducers read slowly enough to be interrupted mid-read, and ways to
 * pause or fail a serving executor from inside a reduce task.
 */
object FaultJobs {
  val Partitions = 4

  /** 8 maps of 200-byte values into 4 partitions; hold the RDD so its map outputs stay. */
  def valueShuffle(sc: SparkContext, records: Int): RDD[(Int, (Long, Array[Byte]))] =
    sc.parallelize(0 until records, 8).map { i =>
      val v = new Array[Byte](200)
      java.util.Arrays.fill(v, (i % 127).toByte)
      (i % Partitions, (i.toLong, v))
    }.partitionBy(new HashPartitioner(Partitions))

  def expectedSums(records: Int): Map[Int, Long] =
    (0 until records).map(i => (i % Partitions, i.toLong)).groupMapReduce(_._1)(_._2)(_ + _)

  /**
   * Sums each partition, checking every value's bytes; `sleepEvery` records the task sleeps 1 ms
   * (so it is still reading when cancelled); `failFirstAttemptAt` > 0 makes each task's first
   * attempt fail after that many records (a retried task that had read part of its blocks).
   */
  def sums(shuffled: RDD[(Int, (Long, Array[Byte]))], sleepEvery: Int = 0,
      failFirstAttemptAt: Int = 0): Map[Int, Long] =
    sumsCalling(shuffled) { n =>
      if (sleepEvery > 0 && n % sleepEvery == 0) Thread.sleep(1)
      if (failFirstAttemptAt > 0 && n == failFirstAttemptAt && TaskContext.get().attemptNumber() == 0) {
        throw new IllegalStateException("planned failure of a first attempt after a partial read")
      }
    }

  /**
   * Reads the shuffle through `RDD.pipe`, whose writer thread (not the task's) consumes the
   * reader: through `cat`, the sums of every record that came back; through `head -n 2`
   * (`cutShort`), which exits at once so the task ends while that thread may be inside a read,
   * the number of lines (2 per partition).
   */
  def pipedSums(shuffled: RDD[(Int, (Long, Array[Byte]))]): Map[Int, Long] =
    shuffled.map { case (k, (v, _)) => s"$k $v" }.pipe(Seq("cat")).map(_.split(' '))
      .map(a => a(0).toInt -> a(1).toLong).reduceByKey(_ + _).collect().toMap

  def pipedCutShort(shuffled: RDD[(Int, (Long, Array[Byte]))]): Long =
    shuffled.map { case (k, (v, _)) => s"$k $v" }.pipe(Seq("head", "-n", "2")).count()

  /**
   * Sums each partition of three shuffles read side by side in one task, one record of each in
   * turn, as a join consumes its sides: each reader holds receive buffers while the task is busy
   * with the others. Returns partition -> (sum of a, sum of b, sum of c).
   */
  def interleavedSums(a: RDD[(Int, (Long, Array[Byte]))], b: RDD[(Int, (Long, Array[Byte]))],
      c: RDD[(Int, (Long, Array[Byte]))]): Map[Int, (Long, Long, Long)] =
    a.zipPartitions(b, c) { (x, y, z) =>
      val s = Array(0L, 0L, 0L)
      val its = Array(x, y, z)
      while (its.exists(_.hasNext)) {
        for (i <- its.indices if its(i).hasNext) s(i) += its(i).next()._2._1
      }
      Iterator(TaskContext.getPartitionId() -> (s(0), s(1), s(2)))
    }.collect().toMap

  /**
   * Sums the partitions; the first attempt of partition `straggler` sleeps 1 ms every 2 records
   * (seconds longer than the others), so speculation runs a copy elsewhere and kills the original
   * in the middle of its reads.
   */
  def sumsWithAStraggler(shuffled: RDD[(Int, (Long, Array[Byte]))], straggler: Int): Map[Int, Long] =
    sumsCalling(shuffled) { n =>
      val ctx = TaskContext.get()
      if (ctx.partitionId() == straggler && ctx.attemptNumber() == 0 && n % 2 == 0) Thread.sleep(1)
    }

  /**
   * Sums the partitions; the first reduce task past 1,000 records stops (SIGSTOP) another
   * executor of the application, whose outputs it is reading, and resumes it `pauseMillis`
   * later. Returns partition -> sum.
   */
  def sumsWhilePausingAnExecutor(shuffled: RDD[(Int, (Long, Array[Byte]))], marker: Path,
      pauseMillis: Long): Map[Int, Long] = {
    val appId = shuffled.sparkContext.applicationId
    val markerPath = marker.toString
    sumsCalling(shuffled) { n =>
      if (n == 1000) pauseAnotherExecutorOnce(appId, Paths.get(markerPath), pauseMillis)
    }
  }

  /** Partition -> sum of record numbers, every value's bytes checked; `each(n)` after the n-th record. */
  private def sumsCalling(shuffled: RDD[(Int, (Long, Array[Byte]))])(each: Int => Unit): Map[Int, Long] =
    shuffled.mapPartitions { it =>
      var sum = 0L
      var n = 0
      it.foreach { case (_, (x, v)) =>
        require(v.forall(_ == (x % 127).toByte), s"record $x has wrong bytes")
        sum += x
        n += 1
        each(n)
      }
      Iterator(TaskContext.getPartitionId() -> sum)
    }.collect().toMap

  /** A task per slot of one executor that allocates and drops large arrays and asks for full GCs, for 3 s. */
  def gcHeavyNeighbour(sc: SparkContext, tasks: Int = 4): Long =
    sc.parallelize(0 until tasks, tasks).map { _ =>
      var churned = 0L
      val end = System.nanoTime() + 3L * 1000 * 1000 * 1000
      while (System.nanoTime() < end) {
        val garbage = Array.fill(16)(new Array[Byte](1 << 20))
        churned += garbage.length
        System.gc()
      }
      churned
    }.reduce(_ + _)

  /**
   * Sums the partitions; the first reduce task past 1,000 records fails its own executor's fabric
   * (the test hook `injectProgressFailure`, as libfabric failing under the progress thread) and
   * reads on: the rest of its reads, and its executor's other reads, meet a failed rail of their
   * own, while every serving executor is healthy.
   */
  def sumsFailingOwnFabricMidRead(shuffled: RDD[(Int, (Long, Array[Byte]))], marker: Path): Map[Int, Long] = {
    val markerPath = marker.toString
    sumsCalling(shuffled) { n =>
      if (n == 1000) failOwnFabricOnce(Paths.get(markerPath), "test: this executor's rail fails under its reads")
    }
  }

  /**
   * Sums the partitions; the first reduce task past 1,000 records makes its own executor's rail
   * stall inside the provider (the test hook `injectProgressStall`): the stall watchdog fails the
   * rail after the operation timeout and its grace, and the thread comes back a second later.
   */
  def sumsStallingOwnRailMidRead(shuffled: RDD[(Int, (Long, Array[Byte]))], marker: Path): Map[Int, Long] = {
    val markerPath = marker.toString
    sumsCalling(shuffled) { n =>
      if (n == 1000) stallOwnRailOnce(Paths.get(markerPath))
    }
  }

  private def stallOwnRailOnce(marker: Path): Unit = {
    val fabric = runtimeHere.fabric()
    if (fabric != null) {
      try {
        Files.createFile(marker)
        touched(marker, SparkEnv.get.executorId)
        val resume = new java.util.concurrent.CountDownLatch(1)
        fabric.injectProgressStall(resume)
        Thread.ofPlatform().daemon().start { () =>
          awaitFailure(fabric, seconds = 120)
          Thread.sleep(1000)
          resume.countDown()
        }
      } catch { case _: java.nio.file.FileAlreadyExistsException => }
    }
  }

  /**
   * Sums the partitions; the first reduce task past 1,000 records crashes its own executor
   * (Runtime.halt: no shutdown hooks, no clean close), while the other executor's reducers are
   * reading that executor's map outputs.
   */
  def sumsWhileAnExecutorCrashes(shuffled: RDD[(Int, (Long, Array[Byte]))], marker: Path): Map[Int, Long] = {
    val markerPath = marker.toString
    sumsCalling(shuffled) { n =>
      if (n == 1000) {
        try {
          Files.createFile(Paths.get(markerPath))
          touched(Paths.get(markerPath), SparkEnv.get.executorId)
          Runtime.getRuntime.halt(137)
        } catch { case _: java.nio.file.FileAlreadyExistsException => }
      }
    }
  }

  /**
   * valueShuffle whose map task 5 (first attempt) SIGKILLs the other executor before it writes,
   * so map outputs the killed executor staged earlier in the stage are lost. Returns the sums.
   */
  def sumsAfterAKillInTheMapStage(sc: SparkContext, records: Int, marker: Path): Map[Int, Long] = {
    val appId = sc.applicationId
    val markerPath = marker.toString
    val shuffled = sc.parallelize(0 until records, 8).mapPartitionsWithIndex { (index, it) =>
      if (index == 5 && TaskContext.get().attemptNumber() == 0) {
        Thread.sleep(500) // let the other executor stage some outputs first
        otherExecutor(appId).foreach { p =>
          try {
            Files.createFile(Paths.get(markerPath))
            touched(Paths.get(markerPath), executorIdOf(p))
            p.destroyForcibly()
          } catch { case _: java.nio.file.FileAlreadyExistsException => }
        }
      }
      it.map { i =>
        val v = new Array[Byte](200)
        java.util.Arrays.fill(v, (i % 127).toByte)
        (i % Partitions, (i.toLong, v))
      }
    }.partitionBy(new HashPartitioner(Partitions))
    sums(shuffled)
  }

  private def pauseAnotherExecutorOnce(appId: String, marker: Path, pauseMillis: Long): Unit =
    otherExecutor(appId).foreach { p =>
      try {
        Files.createFile(marker) // atomic: only the first task to get here pauses
        touched(marker, executorIdOf(p))
        signal("STOP", p.pid())
        val resume = new Thread(() => {
          try Thread.sleep(pauseMillis) finally signal("CONT", p.pid())
        }, "resume-paused-executor")
        resume.setDaemon(true)
        resume.start()
      } catch { case _: java.nio.file.FileAlreadyExistsException => }
    }

  /**
   * Flips one byte of one staged map output of `shuffleId` on whichever executor a probe task
   * finds one first (the test-only way to corrupt a map output at its source): in its first
   * non-empty partition, or with `lastPartition` in its last. True if done.
   */
  def corruptOneStagedOutput(sc: SparkContext, shuffleId: Int, marker: Path, lastPartition: Boolean = false)
      : Boolean = {
    val markerPath = marker.toString
    sc.parallelize(0 until 8, 8).foreach { _ =>
      Thread.sleep(200) // spread the probes over both executors
      val runtime = runtimeHere
      Option(runtime.stagedIfStarted()).flatMap(_.outputs(shuffleId).asScala.headOption).foreach { out =>
        val memory = runtime.stagedIfStarted().arena().memory()
        val partitions = 0 until out.numPartitions()
        (if (lastPartition) partitions.reverse else partitions).find { p =>
          out.partitionOffset(memory, p + 1) > out.partitionOffset(memory, p)
        }.foreach { p =>
          try {
            Files.createFile(Paths.get(markerPath)) // only the first task to get here flips
            val at = out.extent().offset() + out.partitionOffset(memory, p) + 10
            memory.set(ValueLayout.JAVA_BYTE, at, (~memory.get(ValueLayout.JAVA_BYTE, at)).toByte)
          } catch { case _: java.nio.file.FileAlreadyExistsException => }
        }
      }
    }
    Files.exists(marker)
  }

  /**
   * Makes the fabric's progress thread fail on whichever executor a probe task reaches first (the
   * test hook `injectProgressFailure`), and waits until it has. True if done.
   */
  def failOneProgressThread(sc: SparkContext, marker: Path): Boolean = {
    val markerPath = marker.toString
    sc.parallelize(0 until 8, 8).foreach { _ =>
      Thread.sleep(200)
      failOwnFabricOnce(Paths.get(markerPath), "test")
    }
    Files.exists(marker)
  }

  /**
   * On the calling executor, if its fabric runs and no task of the application did it yet (the
   * marker file): fails a progress thread (the test hook `injectProgressFailure`) and waits up
   * to 10 s until the fabric reports the failure.
   */
  private def failOwnFabricOnce(marker: Path, reason: String): Unit = {
    val fabric = runtimeHere.fabric()
    if (fabric != null) {
      try {
        Files.createFile(marker)
        touched(marker, SparkEnv.get.executorId)
        fabric.injectProgressFailure(reason)
        awaitFailure(fabric, seconds = 10)
      } catch { case _: java.nio.file.FileAlreadyExistsException => }
    }
  }

  /** Waits up to `seconds` until the fabric reports its failure. */
  private def awaitFailure(fabric: org.apache.spark.shuffle.efa.memory.ExecutorFabric, seconds: Long): Unit = {
    val deadline = System.nanoTime() + seconds * 1000 * 1000 * 1000
    while (fabric.failure() == null && System.nanoTime() < deadline) Thread.sleep(10)
  }

  /** Executor id -> whether tasks there read over the fabric now. */
  def fabricReadyByExecutor(sc: SparkContext, executors: Int): Map[String, Boolean] =
    sc.parallelize(0 until executors * 4, executors * 4).map { _ =>
      Thread.sleep(200)
      SparkEnv.get.executorId -> runtimeHere.fabricReady()
    }.collect().toMap

  private def runtimeHere = SparkEnv.get.shuffleManager.asInstanceOf[EfaShuffleManager].runtime()

  /** Records in a fault's marker file which executor the fault struck (for spark-bench faults' blame check). */
  def touched(marker: Path, executorId: String): Unit = Files.writeString(marker, executorId)

  /** The executors a fault struck, from its marker file (empty if none or not recorded). */
  def touchedBy(marker: Path): Set[String] =
    if (Files.exists(marker)) Set(Files.readString(marker).trim).filter(_.nonEmpty) else Set.empty

  /** The executor id on an executor JVM's command line. */
  def executorIdOf(p: ProcessHandle): String = {
    val args = p.info().arguments().orElse(Array.empty[String])
    val at = args.indexOf("--executor-id")
    if (at >= 0 && at + 1 < args.length) args(at + 1) else "?"
  }

  /** On the driver: the tcp ports of the executors' fabric endpoints, from the registry's descriptors (sockaddr_in). */
  def fabricPorts(): Seq[Int] =
    org.apache.spark.shuffle.efa.EfaShuffleDriverComponents.activeRegistry().segments().asScala.values.toSeq
      .flatMap(_.endpoint().endpointNames().asScala).map(n => ((n(2) & 0xff) << 8) | (n(3) & 0xff))

  /**
   * Breaks every established TCP connection from or to these local ports (the kernel's socket
   * killer, `ss -K`; root only); returns how many sockets it named.
   */
  def breakConnections(ports: Seq[Int]): Int = {
    val filter = ports.flatMap(p => Seq(s"sport = :$p", s"dport = :$p")).mkString("( ", " or ", " )")
    val p = new ProcessBuilder("ss", "-K", "-t", "-n", "-H", "state", "established", filter)
      .redirectErrorStream(true).start()
    val out = new String(p.getInputStream.readAllBytes())
    p.waitFor()
    out.linesIterator.count(_.contains(":"))
  }

  /** Another executor JVM of this application, not the calling one. */
  def otherExecutor(appId: String): Option[ProcessHandle] = {
    val me = SparkEnv.get.executorId
    ProcessHandle.allProcesses().iterator().asScala.find { p =>
      val cmd = p.info().arguments().map(_.mkString(" ", " ", " ")).orElse("")
      cmd.contains("CoarseGrainedExecutorBackend") && cmd.contains(appId) && !cmd.contains(s" --executor-id $me ")
    }
  }

  private def signal(name: String, pid: Long): Unit = {
    val rc = new ProcessBuilder("kill", s"-$name", pid.toString).inheritIO().start().waitFor()
    require(rc == 0, s"kill -$name $pid exited $rc")
  }
}

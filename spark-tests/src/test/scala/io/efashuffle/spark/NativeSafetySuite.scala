package io.efashuffle.spark

import java.nio.file.{Files, Path, Paths}
import java.util.concurrent.atomic.AtomicInteger

import scala.jdk.CollectionConverters._

import org.apache.spark.SparkConf
import org.apache.spark.scheduler.{SparkListener, SparkListenerExecutorRemoved}
import org.apache.spark.shuffle.efa.registry.ShuffleCounter._
import org.scalatest.funsuite.AnyFunSuite

import io.efashuffle.spark.ClusterSupport._
import io.efashuffle.spark.NativeSafetyJobs._

/**
 * Executors configured only as the README says (no LD_PRELOAD of libjsig) under GC pressure,
 * with the fabric open for tens of seconds: no executor is lost, results equal the built-in
 * shuffle's, and the provider's signal handlers were really there to be taken back (shm).
 */
class NativeSafetySuite extends AnyFunSuite with UsersJit {
  private val executors = 2

  /**
   * The README's configuration (no libjsig in the executors, even if this JVM's environment has
   * it) with 512 MiB heaps, so the tasks' allocations keep the collector busy.
   */
  private def userConf(conf: SparkConf): SparkConf =
    conf.set("spark.executorEnv.LD_PRELOAD", "").set("spark.executor.memory", "512m")

  // Seconds of further rounds after the first (which starts the fabric and takes several more).
  // The crash this guards against came about 20 s after an executor started; the first round and
  // these seconds cover that, and the shm test also checks its cause directly (handlers reclaimed).
  for ((provider, seconds) <- Seq("shm" -> 12, "tcp" -> 5)) {
    test(s"$provider: ${seconds}s of shuffles under GC pressure without libjsig, no executor lost, results as built-in") {
      val removed = new AtomicInteger()
      val conf = userConf(ClusterConf.plugin(s"native-safety-$provider", provider = provider,
        executors = executors, executorMemoryMb = 512))
      val (results, before, after, stats) = withContext(conf) { sc =>
        sc.addSparkListener(new SparkListener {
          override def onExecutorRemoved(e: SparkListenerExecutorRemoved): Unit = removed.incrementAndGet()
        })
        val first = pressuredShuffle(sc, 0) // starts the fabric on both executors
        val before = nativeState(sc, executors)
        val start = System.nanoTime()
        val rest = Iterator.from(1).takeWhile(_ => System.nanoTime() - start < seconds * 1000000000L)
          .map(r => pressuredShuffle(sc, r)).toVector
        val after = nativeState(sc, executors)
        org.apache.spark.SparkInternals.drain(sc)
        (first +: rest, before, after, pluginStats)
      }
      info(s"${results.size} rounds; executors: ${after.values.mkString("; ")}")
      assert(removed.get() == 0, "an executor was lost")
      assert(before.keySet == after.keySet && before.size == executors, (before, after))
      assert(before.map { case (id, s) => id -> s.pid } == after.map { case (id, s) => id -> s.pid }, (before, after))
      assert(after.values.forall(!_.preloadsLibjsig), s"libjsig is loaded in an executor: $after")
      assert(stats.get(FABRIC_BYTES) > 0, s"nothing crossed the fabric: $stats")
      if (provider == "shm") {
        // Not vacuous: shm put its SIGSEGV handler in front of the JVM's on every executor.
        assert(after.values.forall(_.reclaimed.exists(r => r.startsWith("SIGSEGV") && r.contains("libfabric"))),
          s"shm's handler was not reclaimed: $after")
        // The executors closed their fabric when the application stopped: their regions are gone.
        assert(eventually(after.values.forall(s => shmFiles(s.pid).isEmpty)),
          s"shm regions left: ${after.values.map(s => shmFiles(s.pid))}")
      }
      assert(results == builtinRounds(results.size))
    }
  }

  private val builtinResults = scala.collection.mutable.ArrayBuffer[Seq[(Int, (Long, Long))]]()

  /** Spark's built-in shuffle's results for the first `rounds` rounds, computed once for both tests. */
  private def builtinRounds(rounds: Int): Seq[Seq[(Int, (Long, Long))]] = {
    if (builtinResults.size < rounds) {
      withContext(userConf(ClusterConf.builtin("native-safety-builtin", executors = executors, executorMemoryMb = 512))) {
        sc => (builtinResults.size until rounds).foreach(r => builtinResults += pressuredShuffle(sc, r))
      }
    }
    builtinResults.take(rounds).toSeq
  }

  /** libfabric shm's regions of one process: /dev/shm/<pid>:<uid>:<n>. */
  private def shmFiles(pid: Long): Seq[Path] = {
    val files = Files.list(Paths.get("/dev/shm"))
    try files.iterator().asScala.filter(_.getFileName.toString.startsWith(s"$pid:")).toVector finally files.close()
  }

  /** Executors exit shortly after the driver stops them. */
  private def eventually(cond: => Boolean): Boolean = {
    val deadline = System.nanoTime() + 20000000000L
    while (!cond && System.nanoTime() < deadline) Thread.sleep(200)
    cond
  }
}

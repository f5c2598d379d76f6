package io.efashuffle.spark.bench

import java.nio.file.Files

import io.efashuffle.spark.{ExecutorProbes, FaultJobs}

/**
 * Recovery from a dead serving executor: a 4-partition sum over 8 maps whose first reduce task,
 * 1,000 records in, SIGKILLs the other executor, whose map outputs it is reading. Spark must see
 * the loss (FetchFailed), recompute the lost map outputs on a replacement executor and finish.
 * `recoverySec` is the time from the kill to the job's end; the job is checked against the sums
 * computed on the driver. Each run waits until the replacement executor has registered.
 */
object RecoveryJob extends BenchJob {
  val name = "recovery"
  private val DefaultMb = 64
  private val RecordBytes = 208 // 200-byte value, the key and the record number

  def shuffleMiB(o: BenchOptions): Long = o.mb(DefaultMb)

  def describe(o: BenchOptions): String =
    s"${o.mb(DefaultMb)} MiB (200-byte values, 8 maps -> 4 reducers), a serving executor SIGKILLed mid-read"

  /** Its own cluster: the kill must not disturb other jobs. */
  override def clusterSettings(o: BenchOptions): Map[String, String] = Map("spark.task.maxFailures" -> "4")

  def run(ctx: BenchContext): JobOutcome = {
    val records = ((ctx.o.mb(DefaultMb).toLong << 20) / RecordBytes).toInt
    awaitExecutors(ctx)
    val marker = Files.createTempDirectory("efa-recovery").resolve("killed")
    val (sums, m) = ctx.measure(ExecutorProbes.sumWhileKillingAnExecutor(ctx.sc, records, marker))
    val end = System.currentTimeMillis()
    val killed = Files.exists(marker)
    val recoverySec = if (killed) (end - Files.getLastModifiedTime(marker).toMillis) / 1e3 else 0.0
    val expected = FaultJobs.expectedSums(records)
    val problems = (if (!killed) Seq("no executor was killed") else Nil) ++
      (if (sums != expected) Seq(s"sums $sums, expected $expected") else Nil)
    // Executor CPU is read from live processes: a killed executor takes its CPU time with it.
    JobOutcome(m.copy(cpu = ExecutorCpu.Unknown), sums.toSeq.sorted.map { case (p, s) => s"$p:$s" }, problems,
      extra = Map("recoverySec" -> recoverySec))
  }

  private def awaitExecutors(ctx: BenchContext): Unit = {
    val deadline = System.nanoTime() + 120L * 1000 * 1000 * 1000
    while (ctx.sc.statusTracker.getExecutorInfos.length < ctx.o.executors + 1 && System.nanoTime() < deadline) {
      Thread.sleep(100)
    }
  }
}

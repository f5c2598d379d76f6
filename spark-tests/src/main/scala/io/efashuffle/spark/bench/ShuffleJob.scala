package io.efashuffle.spark.bench

import scala.util.Random

import org.apache.spark.{HashPartitioner, SparkInternals}

/**
 * The original spark-bench job: random `--value-bytes` values under random Long keys, hash
 * partitioned. The map stage runs first on its own, so the reduce stage (the fetch) is timed
 * alone, and the executors' CPU during it is read from /proc (serving + reading, all threads).
 */
object ShuffleJob extends BenchJob {
  val name = "shuffle"
  override val defaultRepeat = 3
  private val DefaultMb = 2048

  def shuffleMiB(o: BenchOptions): Long = o.mb(DefaultMb)

  def describe(o: BenchOptions): String =
    s"${o.mb(DefaultMb)} MiB (${o.values(1000)}-byte values, ${o.mapTasks(8)} maps -> ${o.reduceTasks(8)} reducers)"

  def run(ctx: BenchContext): JobOutcome = {
    val o = ctx.o
    val (maps, vb) = (o.mapTasks(8), o.values(1000))
    val recordsPerMap = ((o.mb(DefaultMb).toLong << 20) / (vb + 8) / maps).toInt
    val data = ctx.sc.parallelize(0 until maps, maps).flatMap { m =>
      val rnd = new Random(m)
      Iterator.fill(recordsPerMap) {
        val v = new Array[Byte](vb)
        rnd.nextBytes(v)
        (rnd.nextLong(), v)
      }
    }
    val shuffled = data.partitionBy(new HashPartitioner(o.reduceTasks(8)))
    var (mapSec, reduceSec, reduceCpu) = (0.0, 0.0, 0.0)
    val ((records, checksum), m) = ctx.measure {
      val t0 = System.nanoTime()
      SparkInternals.runMapStage(ctx.sc, shuffled)
      val t1 = System.nanoTime()
      SparkInternals.drain(ctx.sc)
      val cpu0 = ctx.executorCpu()
      val t2 = System.nanoTime()
      val r = shuffled.mapPartitions { it =>
        var n = 0L
        var sum = 0L
        it.foreach { case (k, v) => n += 1; sum += k ^ v(0) }
        Iterator((n, sum))
      }.collect().foldLeft((0L, 0L)) { case ((a, b), (c, d)) => (a + c, b + d) }
      val t3 = System.nanoTime()
      mapSec = (t1 - t0) / 1e9
      reduceSec = (t3 - t2) / 1e9
      reduceCpu = ctx.executorCpu() - cpu0
      r
    }
    // The next run starts from empty buffers, as a long-lived executor does between jobs.
    ctx.cleanShuffles(shuffled)
    val expected = recordsPerMap.toLong * maps
    JobOutcome(m.copy(mapSec = mapSec, reduceSec = reduceSec), Seq(s"$records records, checksum $checksum"),
      if (records == expected) Nil else Seq(s"$records records read, $expected written"),
      extra = Map("reduceCpuSec" -> reduceCpu))
  }
}

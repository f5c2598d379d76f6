package io.efashuffle.spark.bench

import scala.util.Random

import org.apache.spark.{HashPartitioner, SparkInternals}

/**
 * The original spark-bench job: random `--value-bytes` values under random Long keys, hash
 * partitioned. The map stage runs first on its own, so the reduce stage (the fetch) is timed
 * alone, and the executors' CPU during it is read from /proc (serving + reading, all threads).
 */
object ShuffleJob extends HashShuffleJob("shuffle", defaultMb = 2048, defaultMaps = 8, defaultReducers = 8,
  defaultValueBytes = 1000)

/**
 * Many reducers and small blocks: 64 MiB from 40 maps into 3000 reduce tasks (about 560 bytes
 * per block), the shape where a reader's fixed cost per task and per block decides.
 */
object WideJob extends HashShuffleJob("wide", defaultMb = 64, defaultMaps = 40, defaultReducers = 3000,
  defaultValueBytes = 100)

/** The shuffle and wide jobs: the same hash shuffle with different default sizes. */
class HashShuffleJob(val name: String, defaultMb: Int, defaultMaps: Int, defaultReducers: Int,
    defaultValueBytes: Int) extends BenchJob {

  def shuffleMiB(o: BenchOptions): Long = o.mb(defaultMb)

  def describe(o: BenchOptions): String =
    s"${o.mb(defaultMb)} MiB (${o.values(defaultValueBytes)}-byte values, ${o.mapTasks(defaultMaps)} maps -> " +
      s"${o.reduceTasks(defaultReducers)} reducers)"

  def run(ctx: BenchContext): JobOutcome = {
    val o = ctx.o
    HashShuffleJob.runShape(ctx, o.mb(defaultMb), o.mapTasks(defaultMaps), o.reduceTasks(defaultReducers),
      o.values(defaultValueBytes))
  }
}

object HashShuffleJob {
  /** One run of the hash shuffle at one shape; `reduceCpuSec` in its extra figures. */
  def runShape(ctx: BenchContext, mb: Long, maps: Int, reducers: Int, vb: Int): JobOutcome = {
    val recordsPerMap = ((mb << 20) / (vb + 8) / maps).toInt
    val data = ctx.sc.parallelize(0 until maps, maps).flatMap { m =>
      val rnd = new Random(m)
      Iterator.fill(recordsPerMap) {
        val v = new Array[Byte](vb)
        rnd.nextBytes(v)
        (rnd.nextLong(), v)
      }
    }
    val shuffled = data.partitionBy(new HashPartitioner(reducers))
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
      reduceCpu = (ctx.executorCpu() - cpu0).total
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

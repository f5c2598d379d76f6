package io.efashuffle.spark.bench

import scala.util.Random

/**
 * Spark's GroupByTest: `--maps` mappers each produce `--pairs` pairs of a random Int key in
 * [0, pairs) and a random `--value-bytes` value, then `groupByKey(reducers)` and a count. The
 * pairs are generated inside the job (GroupByTest caches them first; here the map stage includes
 * generation) from a per-mapper seed, so both shuffles group the same data. The count pass also
 * sums a checksum of (key, group size) and the values' first bytes, compared across shuffles.
 */
object GroupByJob extends BenchJob {
  val name = "groupby"

  private def pairs(o: BenchOptions) = o.pairs.getOrElse(131072)

  def shuffleMiB(o: BenchOptions): Long = o.mapTasks(8).toLong * pairs(o) * (o.values(1000) + 8) >> 20

  def describe(o: BenchOptions): String =
    s"${o.mapTasks(8)} maps x ${pairs(o)} pairs of ${o.values(1000)}-byte values -> ${o.reduceTasks(8)} reducers"

  def run(ctx: BenchContext): JobOutcome = {
    val o = ctx.o
    val (maps, numKVPairs, valSize) = (o.mapTasks(8), pairs(o), o.values(1000))
    val pairs1 = ctx.sc.parallelize(0 until maps, maps).flatMap { p =>
      val ranGen = new Random(p)
      Iterator.fill(numKVPairs) {
        val byteArr = new Array[Byte](valSize)
        ranGen.nextBytes(byteArr)
        (ranGen.nextInt(numKVPairs), byteArr)
      }
    }
    val ((keys, values, perKey, content), m) = ctx.measure {
      val grouped = pairs1.groupByKey(o.reduceTasks(8))
      val r = grouped.mapPartitions { it =>
        var (keys, values, perKey, content) = (0L, 0L, 0L, 0L)
        it.foreach { case (k, vs) =>
          var n = 0L
          vs.foreach { v => n += 1; content += head(v) }
          keys += 1
          values += n
          perKey += TeraSortJob.mix(k.toLong << 32 | n)
        }
        Iterator((keys, values, perKey, content))
      }.collect().foldLeft((0L, 0L, 0L, 0L)) { case ((a, b, c, d), (e, f, g, h)) => (a + e, b + f, c + g, d + h) }
      ctx.cleanShuffles(grouped)
      r
    }
    val expected = maps.toLong * numKVPairs
    JobOutcome(m, Seq(s"$keys keys, $values values, per-key counts checksum $perKey, content checksum $content"),
      if (values == expected) Nil else Seq(s"$values values grouped, $expected generated"))
  }

  /** Up to the first 8 bytes of a value as a number (a cheap check that values arrive intact). */
  private def head(v: Array[Byte]): Long = {
    var h = 0L
    var i = 0
    while (i < math.min(8, v.length)) { h = h << 8 | (v(i) & 0xff); i += 1 }
    h
  }
}

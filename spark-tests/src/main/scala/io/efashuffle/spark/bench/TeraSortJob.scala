package io.efashuffle.spark.bench

import java.nio.charset.StandardCharsets
import java.util.Arrays

import org.apache.spark.SparkContext
import org.apache.spark.rdd.RDD

/**
 * TeraGen + TeraSort + TeraValidate in one job. 100-byte records (10-byte key, 90-byte value in
 * TeraGen's layout), generated in the map tasks from the row number alone, so every run and both
 * shuffles see the same data. `sortByKey` range-partitions (one sampling job) and sorts the keys
 * as unsigned bytes. The timed part ends with an in-memory TeraValidate pass over the output:
 * sorted within each partition and across partition boundaries, as many records as generated,
 * and the same order-independent checksum (sum of a 64-bit hash per record) as the input.
 */
object TeraSortJob extends BenchJob {
  val name = "terasort"
  private val DefaultMb = 512
  val KeyBytes = 10
  val ValueBytes = 90

  def shuffleMiB(o: BenchOptions): Long = o.mb(DefaultMb)

  def records(o: BenchOptions): Long = (o.mb(DefaultMb).toLong << 20) / (KeyBytes + ValueBytes)

  def describe(o: BenchOptions): String =
    s"${o.mb(DefaultMb)} MiB (${records(o)} records of 100 bytes, ${o.mapTasks(8)} maps -> ${o.reduceTasks(8)} reducers)"

  /** Keys compare as unsigned bytes, like TeraSort's Text keys. */
  object UnsignedBytes extends Ordering[Array[Byte]] {
    def compare(a: Array[Byte], b: Array[Byte]): Int = Arrays.compareUnsigned(a, b)
  }

  /** What TeraValidate learns from one output partition. */
  final case class PartitionSummary(index: Int, records: Long, checksum: Long, outOfOrder: Long,
      first: Array[Byte], last: Array[Byte])

  def run(ctx: BenchContext): JobOutcome = {
    val o = ctx.o
    val input = generate(ctx.sc, records(o), o.mapTasks(8))
    // The input's checksum: not timed (TeraGen's output is a given).
    val inputChecksum = input.map { case (k, v) => recordHash(k, v) }.fold(0L)(_ + _)
    val (summaries, m) = ctx.measure {
      implicit val order: Ordering[Array[Byte]] = UnsignedBytes
      val sorted = input.sortByKey(ascending = true, numPartitions = o.reduceTasks(8))
      val s = sorted.mapPartitionsWithIndex { (index, it) =>
        var (n, sum, outOfOrder) = (0L, 0L, 0L)
        var first, prev: Array[Byte] = null
        it.foreach { case (k, v) =>
          if (first == null) first = k
          else if (Arrays.compareUnsigned(prev, k) > 0) outOfOrder += 1
          prev = k
          n += 1
          sum += recordHash(k, v)
        }
        Iterator(PartitionSummary(index, n, sum, outOfOrder, first, prev))
      }.collect()
      ctx.cleanShuffles(sorted)
      s
    }
    val (n, sum) = (summaries.map(_.records).sum, summaries.map(_.checksum).sum)
    JobOutcome(m, Seq(s"$n records, checksum $sum"), validate(summaries.toSeq, records(o), inputChecksum))
  }

  /** TeraValidate's checks; empty when the output is a complete, sorted permutation of the input. */
  def validate(parts: Seq[PartitionSummary], expectedRecords: Long, expectedChecksum: Long): Seq[String] = {
    val inPartition = parts.filter(_.outOfOrder > 0).map(p => s"partition ${p.index}: ${p.outOfOrder} keys out of order")
    val nonEmpty = parts.sortBy(_.index).filter(_.records > 0)
    val across = nonEmpty.zip(nonEmpty.drop(1)).collect {
      case (a, b) if Arrays.compareUnsigned(a.last, b.first) > 0 =>
        s"partition ${a.index}'s last key is above partition ${b.index}'s first"
    }
    val n = parts.map(_.records).sum
    val sum = parts.map(_.checksum).sum
    inPartition ++ across ++
      (if (n != expectedRecords) Seq(s"$n records in the output, $expectedRecords generated") else Nil) ++
      (if (sum != expectedChecksum) Seq(s"output checksum $sum, input checksum $expectedChecksum") else Nil)
  }

  /** TeraGen's rows: the same row number gives the same record on any partition layout. */
  def generate(sc: SparkContext, rows: Long, partitions: Int): RDD[(Array[Byte], Array[Byte])] =
    sc.parallelize(0 until partitions, partitions).flatMap { p =>
      (rows * p / partitions until rows * (p + 1) / partitions).iterator.map(row => (key(row), value(row)))
    }

  def key(row: Long): Array[Byte] = {
    val k = new Array[Byte](KeyBytes)
    val (a, b) = (mix(row), mix(row ^ 0x5DEECE66DL))
    for (i <- 0 until 8) k(i) = (a >>> (56 - 8 * i)).toByte
    k(8) = (b >>> 56).toByte
    k(9) = (b >>> 48).toByte
    k
  }

  private val Hex = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII)
  private val Filler = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".getBytes(StandardCharsets.US_ASCII)

  /** TeraGen's value: 2 break bytes, the row id in 32 hex digits, 4 break bytes, 48 filler letters, 4 break bytes. */
  def value(row: Long): Array[Byte] = {
    val v = new Array[Byte](ValueBytes)
    v(0) = 0x00; v(1) = 0x11
    for (i <- 0 until 16) v(2 + i) = '0'.toByte // the high 64 bits of TeraGen's 128-bit row id
    for (i <- 0 until 16) v(18 + i) = Hex(((row >>> (60 - 4 * i)) & 0xf).toInt)
    v(34) = 0x88.toByte; v(35) = 0x99.toByte; v(36) = 0xAA.toByte; v(37) = 0xBB.toByte
    for (i <- 0 until 48) v(38 + i) = Filler(((row + i / 4) % 26).toInt)
    v(86) = 0xCC.toByte; v(87) = 0xDD.toByte; v(88) = 0xEE.toByte; v(89) = 0xFF.toByte
    v
  }

  /** A 64-bit hash of one record (FNV-1a, then a murmur finalizer). */
  def recordHash(k: Array[Byte], v: Array[Byte]): Long = {
    var h = 0xcbf29ce484222325L
    var i = 0
    while (i < k.length) { h = (h ^ (k(i) & 0xff)) * 0x100000001b3L; i += 1 }
    i = 0
    while (i < v.length) { h = (h ^ (v(i) & 0xff)) * 0x100000001b3L; i += 1 }
    mix(h)
  }

  /** The murmur3 64-bit finalizer: a cheap bijection that spreads every input bit. */
  def mix(x: Long): Long = {
    var z = x + 0x9E3779B97F4A7C15L
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L
    z ^ (z >>> 33)
  }
}

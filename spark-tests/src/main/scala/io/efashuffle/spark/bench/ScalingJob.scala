package io.efashuffle.spark.bench

/**
 * Reduce-stage time of the hash shuffle against the number of reduce partitions (8 to 3000, at
 * `--mb`, default 256 MiB) and against the shuffle's size (`--mb` x 1, 4 and 16: 256 MiB to
 * 4 GiB, 8 reducers). One part per point, drawn as two curves per shuffle; not in `all` (it
 * shuffles about 6 GiB per run). `--reducers N` caps the reducer points at N.
 */
object ScalingJob extends BenchJob {
  val name = "scaling"
  private val DefaultMb = 256
  private val ReducerPoints = Seq(8, 200, 1000, 3000)
  private val SizeFactors = Seq(1, 4, 16)
  private val ValueBytes = 1000

  def reducerPoints(o: BenchOptions): Seq[Int] = {
    val max = o.reduceTasks(ReducerPoints.last)
    ReducerPoints.filter(_ < max) :+ max
  }

  def sizePoints(o: BenchOptions): Seq[Long] = SizeFactors.map(_.toLong * o.mb(DefaultMb))

  def shuffleMiB(o: BenchOptions): Long = sizePoints(o).max

  def describe(o: BenchOptions): String =
    s"reducers ${reducerPoints(o).mkString(", ")} at ${o.mb(DefaultMb)} MiB; sizes ${sizePoints(o).mkString(", ")} " +
      s"MiB at 8 reducers; ${o.mapTasks(8)} maps, ${o.values(ValueBytes)}-byte values"

  /** A part's name for a point, parsed back by the chart. */
  def part(axis: String, value: Long): String = s"$name $axis=$value"

  def run(ctx: BenchContext): JobOutcome = {
    val o = ctx.o
    val (maps, vb) = (o.mapTasks(8), o.values(ValueBytes))
    val points = reducerPoints(o).map(r => part("reducers", r) -> (o.mb(DefaultMb).toLong, r)) ++
      sizePoints(o).map(mb => part("MiB", mb) -> (mb, 8))
    val outcomes = points.map { case (label, (mb, reducers)) =>
      val r = HashShuffleJob.runShape(ctx, mb, maps, reducers, vb)
      ctx.log(f"$label: reduce ${r.measurement.reduceSec}%.2f s")
      label -> r
    }
    JobOutcome(outcomes.map(_._2.measurement).reduce(_ + _), outcomes.flatMap { case (l, r) => r.result.map(x => s"$l: $x") },
      outcomes.flatMap { case (l, r) => r.problems.map(p => s"$l: $p") }, parts = outcomes.map { case (l, r) => l -> r.measurement })
  }
}

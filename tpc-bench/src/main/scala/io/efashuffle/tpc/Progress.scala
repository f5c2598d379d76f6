package io.efashuffle.tpc

/** "query i of n, elapsed, estimate left" lines while a suite runs; the estimate assumes the remaining queries cost the mean so far. */
final class Progress(total: Int, label: String, out: String => Unit = msg => System.err.println(msg)) {
  private val t0 = System.nanoTime()

  def done(i: Int, query: String, detail: String): Unit = {
    val elapsed = (System.nanoTime() - t0) / 1e9
    val left = elapsed / i * (total - i)
    out(f"[$label] query $i of $total ($query) $detail; elapsed ${Progress.clock(elapsed)}, about ${Progress.clock(left)} left")
  }
}

object Progress {
  def clock(sec: Double): String = {
    val s = math.round(sec)
    if (s >= 3600) f"${s / 3600}%dh${s % 3600 / 60}%02dm" else f"${s / 60}%dm${s % 60}%02ds"
  }
}

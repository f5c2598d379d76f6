package io.efashuffle.spark.bench

import java.awt.{Color, Font, RenderingHints}
import java.awt.image.BufferedImage
import java.io.File
import javax.imageio.ImageIO

import scala.jdk.CollectionConverters._

import org.knowm.xchart.{BitmapEncoder, CategoryChart, CategoryChartBuilder, XYChart, XYChartBuilder}
import org.knowm.xchart.style.Styler.LegendPosition

/**
 * The PNG: a grouped bar chart of job time per job (built-in vs plugin), when `fetch` ran its
 * GB/s next to the native fi_read yardstick's, when `scaling` ran its reduce-stage curves (against
 * reducers and against size), side by side, with a caption strip that says
 * where the figures come from. XChart draws with Java2D, so it renders headless.
 */
object BenchChart {
  def write(rows: Seq[Row], caption: Seq[String], file: File): File = {
    System.setProperty("java.awt.headless", "true")
    val jobRows = rows.filterNot(_.job.contains(' ')) // whole jobs; SQL's per-query rows stay in the table
    val jobs = jobRows.map(_.job).distinct
    val timeChart = bars("job time (s), lower is better", "s", "#0.00", jobs, jobRows.map(_.shuffle).distinct.map { s =>
      series(s, jobRows) -> jobs.map(j => jobRows.find(r => r.job == j && r.shuffle == s).filterNot(_.failed)
        .map(_.m.jobSec).getOrElse(0.0))
    })
    val fetch = jobRows.filter(r => r.job == FetchJob.name && r.gbps.isDefined)
    val charts = timeChart +: (if (fetch.isEmpty) Nil else {
      val native = fetch.flatMap(_.nativeGbps).headOption.map(n => s"native fi_read (${fetch.last.transport})" -> n)
      Seq(bars("fetch throughput (GB/s), higher is better", "GB/s", "#0.000", Seq("fetch"),
        (fetch.map(r => series(r.shuffle, fetch) -> r.gbps.get) ++ native).map { case (n, v) => n -> Seq(v) }))
    })
    val scaling = Seq("reducers" -> "reduce partitions", "MiB" -> "MiB shuffled").flatMap { case (axis, title) =>
      curves(rows, axis, s"reduce stage (s) against $title, lower is better", title)
    }
    val images = charts.map(c => BitmapEncoder.getBufferedImage(c)) ++ scaling.map(c => BitmapEncoder.getBufferedImage(c))
    val font = new Font(Font.SANS_SERIF, Font.PLAIN, 13)
    val metrics = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics().getFontMetrics(font)
    val lineHeight = metrics.getHeight + 2
    val out = new BufferedImage(math.max(images.map(_.getWidth).sum, caption.map(metrics.stringWidth).max + 20),
      images.map(_.getHeight).max + lineHeight * caption.size + 10, BufferedImage.TYPE_INT_RGB)
    val g = out.createGraphics()
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON)
      g.setColor(Color.WHITE)
      g.fillRect(0, 0, out.getWidth, out.getHeight)
      images.foldLeft(0) { (x, img) => g.drawImage(img, x, 0, null); x + img.getWidth }
      g.setColor(Color.DARK_GRAY)
      g.setFont(font)
      val top = images.map(_.getHeight).max
      caption.zipWithIndex.foreach { case (line, i) => g.drawString(line, 10, top + lineHeight * (i + 1)) }
    } finally g.dispose()
    file.getParentFile.mkdirs()
    ImageIO.write(out, "png", file)
    file
  }

  /** The scaling job's points on one axis ("scaling <axis>=<x>" rows) as a curve per shuffle; none without them. */
  private def curves(rows: Seq[Row], axis: String, title: String, xTitle: String): Option[XYChart] = {
    val prefix = s"${ScalingJob.name} $axis="
    val points = rows.filter(r => r.job.startsWith(prefix) && !r.failed)
    if (points.isEmpty) None else {
      val chart = new XYChartBuilder().width(560).height(460).title(title).xAxisTitle(xTitle).yAxisTitle("s").build()
      chart.getStyler.setLegendPosition(LegendPosition.OutsideS)
      chart.getStyler.setChartBackgroundColor(Color.WHITE)
      chart.getStyler.setXAxisLogarithmic(true)
      chart.getStyler.setYAxisMin(0.0)
      points.map(_.shuffle).distinct.foreach { shuffle =>
        val xy = points.filter(_.shuffle == shuffle).map(r => r.job.stripPrefix(prefix).toDouble -> r.m.reduceSec)
        chart.addSeries(series(shuffle, points), xy.map(p => Double.box(p._1)).asJava, xy.map(p => Double.box(p._2)).asJava)
      }
      Some(chart)
    }
  }

  private def series(shuffle: String, rows: Seq[Row]): String =
    rows.find(_.shuffle == shuffle).map(r => s"$shuffle (${r.transport})").getOrElse(shuffle)

  private def bars(title: String, unit: String, decimals: String, categories: Seq[String], values: Seq[(String, Seq[Double])]): CategoryChart = {
    val chart = new CategoryChartBuilder().width(math.max(520, 160 * categories.size + 240)).height(460)
      .title(title).yAxisTitle(unit).build()
    chart.getStyler.setLegendPosition(LegendPosition.OutsideS)
    chart.getStyler.setLabelsVisible(true)
    chart.getStyler.setYAxisMin(0.0)
    chart.getStyler.setDecimalPattern(decimals)
    chart.getStyler.setChartBackgroundColor(Color.WHITE)
    values.foreach { case (name, ys) =>
      chart.addSeries(name, categories.asJava, ys.map(Double.box).asJava)
    }
    chart
  }
}

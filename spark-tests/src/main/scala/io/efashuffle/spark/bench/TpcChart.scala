package io.efashuffle.spark.bench

import java.awt.{Color, Font, RenderingHints}
import java.awt.image.BufferedImage
import java.io.File
import javax.imageio.ImageIO

import scala.jdk.CollectionConverters._

import org.knowm.xchart.{BitmapEncoder, CategoryChartBuilder}
import org.knowm.xchart.style.Styler.LegendPosition

import io.efashuffle.tpc.Comparison

/** spark-bench tpcds/tpch's PNG: each query's median seconds on both shuffles, and the plugin's speed-up per query, one above the other. */
object TpcChart {
  def write(c: Comparison, caption: Seq[String], file: File): File = {
    System.setProperty("java.awt.headless", "true")
    val measured = c.queries.filter { case (b, o) => !b.failed && !o.failed }
    val names = measured.map(_._1.query)
    val width = math.max(700, 22 * names.size + 200)
    def chart(title: String, unit: String, series: Seq[(String, Seq[Double])]) = {
      val ch = new CategoryChartBuilder().width(width).height(420).title(title).yAxisTitle(unit).build()
      ch.getStyler.setLegendPosition(LegendPosition.OutsideS)
      ch.getStyler.setChartBackgroundColor(Color.WHITE)
      ch.getStyler.setYAxisMin(0.0)
      ch.getStyler.setXAxisLabelRotation(90)
      ch.getStyler.setOverlapped(false)
      series.foreach { case (n, ys) => ch.addSeries(n, names.asJava, ys.map(Double.box).asJava) }
      BitmapEncoder.getBufferedImage(ch)
    }
    val seconds = chart("median seconds per query, lower is better", "s",
      Seq(c.baseLabel -> measured.map(_._1.seconds), c.otherLabel -> measured.map(_._2.seconds)))
    val speedup = chart(f"${c.otherLabel} speed-up (${c.baseLabel} s / ${c.otherLabel} s), geometric mean ${c.geometricMeanSpeedup}%.3fx",
      "x", Seq("speed-up" -> measured.map { case (b, o) => b.seconds / math.max(1e-3, o.seconds) }))
    val font = new Font(Font.SANS_SERIF, Font.PLAIN, 13)
    val fm = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics().getFontMetrics(font)
    val lh = fm.getHeight + 2
    val img = new BufferedImage(math.max(width, caption.map(fm.stringWidth).max + 20),
      seconds.getHeight + speedup.getHeight + lh * caption.size + 10, BufferedImage.TYPE_INT_RGB)
    val g = img.createGraphics()
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON)
      g.setColor(Color.WHITE)
      g.fillRect(0, 0, img.getWidth, img.getHeight)
      g.drawImage(seconds, 0, 0, null)
      g.drawImage(speedup, 0, seconds.getHeight, null)
      g.setColor(Color.DARK_GRAY)
      g.setFont(font)
      val top = seconds.getHeight + speedup.getHeight
      caption.zipWithIndex.foreach { case (l, i) => g.drawString(l, 10, top + lh * (i + 1)) }
    } finally g.dispose()
    file.getParentFile.mkdirs()
    ImageIO.write(img, "png", file)
    file
  }
}

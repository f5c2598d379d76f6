package io.efashuffle.tpc

/** The benchmarks' printed tables: Markdown, columns padded, so they paste into a README as they are. */
object MarkdownTable {
  def format(header: Seq[String], lines: Seq[Seq[String]]): Seq[String] = {
    val widths = header.indices.map(i => (header +: lines).map(_(i).length).max)
    def fmt(cells: Seq[String]) = cells.zip(widths).map { case (c, w) => c.padTo(w, ' ') }.mkString("| ", " | ", " |")
    Seq(fmt(header), widths.map("-" * _).mkString("|-", "-|-", "-|")) ++ lines.map(fmt)
  }
}

package io.storecap.reports;

import java.util.List;

import static io.storecap.reports.Fmt.esc;

/** Every chart as a figure: the PNG on the page, its caption and a link to the SVG. */
final class ChartsSection {
    private ChartsSection() {}

    static void write(StringBuilder b, List<ChartFile> charts) {
        b.append("<section id=\"charts\">\n<h2>Charts</h2>\n");
        if (charts.isEmpty()) b.append("<p>No data to chart.</p>\n");
        for (ChartFile c : charts) {
            b.append("<figure id=\"chart-").append(esc(c.id())).append("\">\n<h3>").append(esc(c.title())).append("</h3>\n")
                    .append("<img src=\"").append(esc(c.png())).append("\" alt=\"").append(esc(c.title()))
                    .append("\" width=\"").append(c.width()).append("\" height=\"").append(c.height()).append("\">\n")
                    .append("<figcaption>").append(esc(c.caption())).append(" <a href=\"").append(esc(c.svg()))
                    .append("\">SVG</a></figcaption>\n</figure>\n");
        }
        b.append("</section>\n");
    }
}

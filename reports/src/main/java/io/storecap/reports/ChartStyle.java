package io.storecap.reports;

import io.storecap.model.Tier;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;

/** What every chart of the report shares: its size, colours and strokes, the axes styling, and small series helpers. */
final class ChartStyle {
    private ChartStyle() {}

    static final int WIDTH = 1100, HEIGHT = 560;

    static final Color INK = new Color(0x1f2937);
    static final Color GRID = new Color(0xe5e7eb);
    static final Color MEASURED = new Color(0x1d4ed8);
    static final Color CLIENTS = new Color(0x7c3aed);
    static final Color FIT = new Color(0x0f766e);
    static final Color BAND = new Color(15, 118, 110, 50);
    static final Color LIMIT = new Color(0xb91c1c);
    static final Color[] OTHER_LIMITS = {new Color(0xf59e0b), new Color(0xa16207), new Color(0xd946ef), new Color(0x64748b)};
    static final Color REFUSED = new Color(0xdc2626);
    static final Color[] PALETTE = {
            new Color(0x1d4ed8), new Color(0xea580c), new Color(0x15803d), new Color(0x7c3aed),
            new Color(0xbe185d), new Color(0x0e7490), new Color(0x854d0e), new Color(0x4b5563)};
    static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[]{8f, 6f}, 0f);
    static final BasicStroke SOLID = new BasicStroke(2.5f);
    /** A baseline study's series: thin and dashed, in a lighter shade of the series it compares with. */
    static final BasicStroke BASELINE_LINE = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[]{5f, 4f}, 0f);

    /** {@code c} mixed with white: the lighter shade a baseline's series is drawn in. */
    static Color lighter(Color c) {
        double k = 0.55;
        return new Color((int) (c.getRed() + (255 - c.getRed()) * k), (int) (c.getGreen() + (255 - c.getGreen()) * k),
                (int) (c.getBlue() + (255 - c.getBlue()) * k));
    }

    static void hline(XYChart ch, String name, double y, double x0, double x1, Color c) {
        XYSeries s = ch.addSeries(uniqueName(ch, name), new double[]{x0, x1}, new double[]{y, y});
        s.setLineColor(c);
        s.setLineStyle(DASHED);
        s.setMarker(SeriesMarkers.NONE);
    }

    static String uniqueName(XYChart ch, String name) {
        String n = name;
        for (int i = 2; ch.getSeriesMap().containsKey(n); i++) n = name + " (" + i + ")";
        return n;
    }

    static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setPlotGridLinesColor(GRID);
        s.setChartFontColor(INK);
        s.setAxisTickLabelsColor(INK);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendBorderColor(Color.WHITE);
        s.setAnnotationLineColor(new Color(0x6b7280));
        s.setAnnotationLineStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{3f, 4f}, 0f));
        s.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAnnotationTextFontColor(new Color(0x374151));
        s.setMarkerSize(10);
        s.setChartPadding(12);
        s.setAntiAlias(true);
        s.setToolTipsEnabled(false);
    }

    static String tierLabel(Tier t) {
        return Character.toUpperCase(t.id().charAt(0)) + t.id().substring(1);
    }

    static double max(double[] a) { double m = 0; for (double v : a) if (Double.isFinite(v)) m = Math.max(m, v); return m; }

    static double min(double[] a) { double m = Double.MAX_VALUE; for (double v : a) m = Math.min(m, v); return m; }

    static double finiteOr(double v, double d) { return Double.isFinite(v) ? v : d; }
}

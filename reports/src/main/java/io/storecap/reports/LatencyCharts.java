package io.storecap.reports;

import io.storecap.model.LevelResult;
import io.storecap.model.RunResult;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.List;
import java.util.function.Function;

import static io.storecap.reports.ChartStyle.BASELINE_LINE;
import static io.storecap.reports.ChartStyle.HEIGHT;
import static io.storecap.reports.ChartStyle.LIMIT;
import static io.storecap.reports.ChartStyle.PALETTE;
import static io.storecap.reports.ChartStyle.SOLID;
import static io.storecap.reports.ChartStyle.WIDTH;
import static io.storecap.reports.ChartStyle.hline;
import static io.storecap.reports.ChartStyle.lighter;
import static io.storecap.reports.ChartStyle.max;
import static io.storecap.reports.ChartStyle.min;
import static io.storecap.reports.ChartStyle.style;
import static io.storecap.reports.ChartStyle.uniqueName;
import static io.storecap.reports.Charts.SLO_ERROR_RATE;
import static io.storecap.reports.Charts.SLO_P95_MS;

/**
 * p95 response time and error rate against stores, one line per run, with the plan's limits; with a
 * baseline study, each run's baseline run as a lighter dashed line in the same colour, so the
 * difference at each level is read off between the two lines.
 */
final class LatencyCharts {
    private LatencyCharts() {}

    static XYChart latency(List<RunResult> runs) { return latency(runs, null); }

    static XYChart latency(List<RunResult> runs, BaselineStudy baseline) {
        XYChart ch = perRunChart("p95 response time against stores", "p95 (ms)", runs, l -> l.requests().p95Ms(), 1,
                baseline, BaselineStudy.Level::p95Ms);
        addSlo(ch, runs, SLO_P95_MS, "p95 alert: 500 ms");
        return ch;
    }

    static XYChart errors(List<RunResult> runs) { return errors(runs, null); }

    static XYChart errors(List<RunResult> runs, BaselineStudy baseline) {
        XYChart ch = perRunChart("Error rate against stores", "errors (%)", runs, l -> l.requests().errorRate() * 100, 100,
                baseline, l -> l.errorRate() == null ? null : l.errorRate() * 100);
        addSlo(ch, runs, SLO_ERROR_RATE * 100, "limit: 1 %");
        ch.getStyler().setYAxisMin(0.0);
        return ch;
    }

    private interface LevelValue { double of(LevelResult l); }

    private static XYChart perRunChart(String title, String yTitle, List<RunResult> runs, LevelValue f, double logFloor,
                                       BaselineStudy baseline, Function<BaselineStudy.Level, Double> old) {
        XYChart ch = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("stores").yAxisTitle(yTitle).build();
        style(ch.getStyler());
        ch.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        double xMin = Double.MAX_VALUE, xMax = 0;
        int i = 0;
        for (RunResult r : runs) {
            List<LevelResult> ls = r.levels().stream().filter(l -> l.requests().count() > 0).toList();
            if (ls.isEmpty()) continue;
            double[] x = ls.stream().mapToDouble(LevelResult::stores).toArray();
            double[] y = ls.stream().mapToDouble(f::of).map(v -> Double.isFinite(v) ? v : 0).toArray();
            List<BaselineStudy.Level> bl = baseline == null ? List.of()
                    : baseline.levels(r).stream().filter(l -> l.requests() > 0 && old.apply(l) != null).toList();
            if (!bl.isEmpty()) { // first, so this study's line is drawn over it where they agree
                double[] bx = bl.stream().mapToDouble(BaselineStudy.Level::stores).toArray();
                XYSeries b = ch.addSeries(uniqueName(ch, r.config().id() + " (baseline)"), bx, bl.stream().mapToDouble(old::apply).toArray());
                b.setLineColor(lighter(PALETTE[i % PALETTE.length]));
                b.setMarkerColor(lighter(PALETTE[i % PALETTE.length]));
                b.setLineStyle(BASELINE_LINE);
                b.setMarker(SeriesMarkers.CIRCLE);
                xMin = Math.min(xMin, min(bx));
                xMax = Math.max(xMax, max(bx));
            }
            XYSeries s = ch.addSeries(uniqueName(ch, r.config().id()), x, y);
            s.setLineColor(PALETTE[i % PALETTE.length]);
            s.setMarkerColor(PALETTE[i % PALETTE.length]);
            s.setLineStyle(SOLID);
            s.setMarker(SeriesMarkers.CIRCLE);
            i++;
            xMin = Math.min(xMin, min(x));
            xMax = Math.max(xMax, max(x));
        }
        // Stairs span 10 to 3000 stores: a log axis keeps the small levels readable.
        if (i > 0 && xMin > 0 && xMax / xMin > 20) ch.getStyler().setXAxisLogarithmic(true);
        return ch;
    }

    private static void addSlo(XYChart ch, List<RunResult> runs, double y, String label) {
        double xMin = runs.stream().flatMap(r -> r.levels().stream()).mapToDouble(LevelResult::stores).min().orElse(1);
        double xMax = runs.stream().flatMap(r -> r.levels().stream()).mapToDouble(LevelResult::stores).max().orElse(10);
        hline(ch, label, y, xMin, xMax, LIMIT);
    }
}

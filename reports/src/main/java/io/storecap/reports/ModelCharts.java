package io.storecap.reports;

import io.storecap.model.ValidationRow;
import io.storecap.model.serverless.ServerlessCalibration;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static io.storecap.reports.ChartStyle.DASHED;
import static io.storecap.reports.ChartStyle.HEIGHT;
import static io.storecap.reports.ChartStyle.PALETTE;
import static io.storecap.reports.ChartStyle.SOLID;
import static io.storecap.reports.ChartStyle.WIDTH;
import static io.storecap.reports.ChartStyle.finiteOr;
import static io.storecap.reports.ChartStyle.style;
import static io.storecap.reports.ChartStyle.uniqueName;

/**
 * The model's own charts: its out-of-sample validation (predicted against measured) and the
 * calibrated serverless model's sensitivity to one traffic assumption at a time.
 */
final class ModelCharts {
    private ModelCharts() {}

    static final Map<String, String> SENS_LABEL = Map.of("rateMultiplier", "peak rate per store (x measured)",
            "idleTtlSeconds", "idle TTL of a function instance (s)", "connectionLimit", "connection_limit per instance");

    static XYChart validation(List<ValidationRow> rows) {
        XYChart ch = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Predicted against measured peak connections")
                .xAxisTitle("measured").yAxisTitle("predicted").build();
        style(ch.getStyler());
        ch.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        double max = 1;
        for (ValidationRow r : rows) max = Math.max(max, Math.max(r.measured(), finiteOr(r.high(), r.predicted())));
        max *= 1.1;
        XYSeries diag = ch.addSeries("exact", new double[]{0, max}, new double[]{0, max});
        diag.setLineColor(new Color(0x9ca3af));
        diag.setLineStyle(DASHED);
        diag.setMarker(SeriesMarkers.NONE);
        List<String> claims = rows.stream().map(ValidationRow::claimId).distinct().toList();
        for (int i = 0; i < claims.size(); i++) {
            String id = claims.get(i);
            Color c = PALETTE[i % PALETTE.length];
            List<ValidationRow> mine = rows.stream().filter(r -> r.claimId().equals(id)).toList();
            XYSeries pts = ch.addSeries(uniqueName(ch, id), mine.stream().mapToDouble(ValidationRow::measured).toArray(),
                    mine.stream().mapToDouble(ValidationRow::predicted).toArray());
            pts.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            pts.setMarker(SeriesMarkers.CIRCLE);
            pts.setMarkerColor(c);
            for (ValidationRow r : mine) {
                XYSeries iv = ch.addSeries(uniqueName(ch, id + " interval " + r.stores()), new double[]{r.measured(), r.measured()},
                        new double[]{finiteOr(r.low(), r.predicted()), finiteOr(r.high(), r.predicted())});
                iv.setShowInLegend(false);
                iv.setLineColor(c);
                iv.setLineStyle(new BasicStroke(2f));
                iv.setMarker(SeriesMarkers.NONE);
            }
        }
        ch.getStyler().setXAxisMin(0.0).setXAxisMax(max).setYAxisMin(0.0).setYAxisMax(max);
        return ch;
    }

    static XYChart sensitivity(List<ServerlessCalibration> cals, String variable) {
        List<ServerlessCalibration> with = cals.stream()
                .filter(c -> c.sensitivity().stream().anyMatch(r -> r.variable().equals(variable))).toList();
        if (with.isEmpty()) return null;
        XYChart ch = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Stores held against " + SENS_LABEL.get(variable))
                .xAxisTitle(SENS_LABEL.get(variable)).yAxisTitle("stores held").build();
        style(ch.getStyler());
        ch.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        ch.getStyler().setYAxisDecimalPattern("#,###");
        double yMin = Double.MAX_VALUE, yMax = 0;
        for (int i = 0; i < with.size(); i++) {
            ServerlessCalibration c = with.get(i);
            List<ServerlessCalibration.SensitivityRow> rows = c.sensitivity().stream().filter(r -> r.variable().equals(variable))
                    .sorted(Comparator.comparingDouble(ServerlessCalibration.SensitivityRow::value)).toList();
            Color col = PALETTE[i % PALETTE.length];
            XYSeries line = ch.addSeries(uniqueName(ch, c.configurationId()), rows.stream().mapToDouble(ServerlessCalibration.SensitivityRow::value).toArray(),
                    rows.stream().mapToDouble(r -> Math.max(1, r.storesOrCeiling())).toArray());
            line.setLineColor(col);
            line.setMarkerColor(col);
            line.setMarker(SeriesMarkers.CIRCLE);
            line.setLineStyle(SOLID);
            List<ServerlessCalibration.SensitivityRow> ext = rows.stream().filter(ServerlessCalibration.SensitivityRow::extrapolated).toList();
            if (!ext.isEmpty()) {
                XYSeries e = ch.addSeries(uniqueName(ch, c.configurationId() + " (extrapolated)"),
                        ext.stream().mapToDouble(ServerlessCalibration.SensitivityRow::value).toArray(),
                        ext.stream().mapToDouble(r -> Math.max(1, r.storesOrCeiling())).toArray());
                e.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                e.setMarker(SeriesMarkers.CIRCLE);
                e.setMarkerColor(Color.WHITE);
                e.setShowInLegend(false);
            }
            for (ServerlessCalibration.SensitivityRow r : rows) { yMin = Math.min(yMin, Math.max(1, r.storesOrCeiling())); yMax = Math.max(yMax, r.storesOrCeiling()); }
        }
        if (yMin > 0 && yMax / yMin > 30) ch.getStyler().setYAxisLogarithmic(true);
        else ch.getStyler().setYAxisMin(0.0);
        return ch;
    }
}

package io.storecap.reports;

import io.storecap.model.LevelResult;
import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.fit.Curve;
import io.storecap.model.fit.LinearFit;
import io.storecap.model.fit.PowerLawFit;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.storecap.reports.ChartStyle.BAND;
import static io.storecap.reports.ChartStyle.CLIENTS;
import static io.storecap.reports.ChartStyle.DASHED;
import static io.storecap.reports.ChartStyle.FIT;
import static io.storecap.reports.ChartStyle.HEIGHT;
import static io.storecap.reports.ChartStyle.INK;
import static io.storecap.reports.ChartStyle.LIMIT;
import static io.storecap.reports.ChartStyle.MEASURED;
import static io.storecap.reports.ChartStyle.OTHER_LIMITS;
import static io.storecap.reports.ChartStyle.REFUSED;
import static io.storecap.reports.ChartStyle.SOLID;
import static io.storecap.reports.ChartStyle.WIDTH;
import static io.storecap.reports.ChartStyle.finiteOr;
import static io.storecap.reports.ChartStyle.hline;
import static io.storecap.reports.ChartStyle.max;
import static io.storecap.reports.ChartStyle.style;
import static io.storecap.reports.ChartStyle.tierLabel;
import static io.storecap.reports.ChartStyle.uniqueName;
import static io.storecap.reports.Charts.MARKER_STORES;

/**
 * Connections against stores, one chart per run (the measured peaks, the fit and its band, the
 * tier limits), and each run's connections over time from its samples.csv.
 */
final class ConnectionCharts {
    private ConnectionCharts() {}

    static XYChart connections(RunResult run, List<ClaimResult> claims, Map<String, Tier> tiers, Set<String> claimTiers) {
        return connections(run, claims, tiers, claimTiers, List.of());
    }

    /**
     * As above; {@code baseline} (the same run of a baseline study, empty for none) adds its peaks per
     * level as lighter markers, so a level that now needs more connections stands out.
     */
    static XYChart connections(RunResult run, List<ClaimResult> claims, Map<String, Tier> tiers, Set<String> claimTiers,
                               List<BaselineStudy.Level> baseline) {
        Tier tier = run.config().tier();
        String title = (claims.isEmpty() ? run.config().id() : claims.get(0).id()) + ": " + tierLabel(tier) + ", "
                + Fmt.route(run.config().route());
        XYChart ch = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("stores").yAxisTitle("connections").build();
        style(ch.getStyler());
        ch.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);

        List<LevelResult> levels = run.levels();
        double[] x = levels.stream().mapToDouble(LevelResult::stores).toArray();
        double[] peak = levels.stream().mapToDouble(l -> l.serverConnections().max()).toArray();
        double stairTop = Math.max(levels.stream().mapToDouble(LevelResult::stores).max().orElse(1),
                baseline.stream().mapToDouble(BaselineStudy.Level::stores).max().orElse(0));
        // The model's chosen shape (linear or power law) when it made one; the plain linear fit otherwise.
        Curve fit = claims.stream().map(c -> c.fits() != null ? c.fits().curve() : c.fit()).filter(f -> f != null)
                .findFirst().orElse(null);
        Double threshold = claims.stream().map(c -> c.measured() == null ? null : c.measured().threshold())
                .filter(t -> t != null && Double.isFinite(t)).findFirst().orElse(null);
        double xEnd = 1.05 * (threshold != null && threshold <= 2.5 * stairTop ? Math.max(stairTop, threshold) : stairTop);

        double yData = max(peak);
        if (run.config().route() == Route.POOLED) yData = Math.max(yData, levels.stream().mapToDouble(l -> l.poolerClients().max()).max().orElse(0));
        for (BaselineStudy.Level l : baseline)
            for (Double v : new Double[]{l.peakConnections(), run.config().route() == Route.POOLED ? l.poolerClients() : null})
                if (v != null) yData = Math.max(yData, v);
        double yMax = Math.max(yData, tier.usableConnections()) * 1.15;

        if (fit != null) {
            int n = 60;
            double[] fx = new double[n], fy = new double[n], bx = new double[2 * n], by = new double[2 * n];
            double x0 = Math.max(fit.domainStart(), fit instanceof PowerLawFit ? Math.max(1, stairTop / 200) : 0);
            for (int i = 0; i < n; i++) {
                double xi = x0 + (xEnd - x0) * i / (n - 1);
                fx[i] = xi;
                fy[i] = fit.predict(xi);
                bx[i] = xi;
                by[i] = finiteOr(fit.lowerConfidence(xi), fy[i]);
                bx[2 * n - 1 - i] = xi;
                by[2 * n - 1 - i] = finiteOr(fit.upperConfidence(xi), fy[i]);
            }
            XYSeries band = ch.addSeries("95 % band of the fit", bx, by);
            band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            band.setFillColor(BAND);
            band.setLineColor(BAND);
            band.setMarker(SeriesMarkers.NONE);
            String label = fit instanceof PowerLawFit p ? String.format(Locale.ROOT, "fit: %.3g × stores^%.2f", p.a(), p.b())
                    : fit instanceof LinearFit l ? String.format(Locale.ROOT, "fit: %.3g/store + %.3g", l.slope(), l.intercept())
                    : "fit (" + fit.kind() + ")";
            XYSeries line = ch.addSeries(label, fx, fy);
            line.setLineColor(FIT);
            line.setLineStyle(SOLID);
            line.setMarker(SeriesMarkers.NONE);
        }
        baselinePoints(ch, "baseline: peak Postgres conn.", baseline, BaselineStudy.Level::peakConnections, MEASURED, SeriesMarkers.CIRCLE);
        if (run.config().route() == Route.POOLED)
            baselinePoints(ch, "baseline: PgBouncer clients", baseline, BaselineStudy.Level::poolerClients, CLIENTS, SeriesMarkers.DIAMOND);
        XYSeries pts = ch.addSeries("peak Postgres conn.", x, peak);
        pts.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        pts.setMarker(SeriesMarkers.CIRCLE);
        pts.setMarkerColor(MEASURED);
        if (run.config().route() == Route.POOLED) {
            double[] cl = levels.stream().mapToDouble(l -> l.poolerClients().max()).toArray();
            XYSeries clients = ch.addSeries("PgBouncer clients", x, cl);
            clients.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            clients.setMarker(SeriesMarkers.DIAMOND);
            clients.setMarkerColor(CLIENTS);
        }
        List<double[]> refused = new ArrayList<>();
        for (LevelResult l : levels) if (l.totalRefusals() > 0) refused.add(new double[]{l.stores(), l.serverConnections().max()});
        if (!refused.isEmpty()) {
            XYSeries rs = ch.addSeries("refusals at level", refused.stream().mapToDouble(p -> p[0]).toArray(),
                    refused.stream().mapToDouble(p -> p[1]).toArray());
            rs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            rs.setMarker(SeriesMarkers.CROSS);
            rs.setMarkerColor(REFUSED);
        }
        hline(ch, tierLabel(tier) + " limit (" + tier.usableConnections() + ")", tier.usableConnections(), 0, xEnd, LIMIT);
        // Other claimed tiers' limits, only when they fit the scale: a 997-connection line would flatten a 97 one.
        Set<Integer> drawn = new LinkedHashSet<>(List.of(tier.usableConnections()));
        for (Tier t : tiers.values().stream().sorted(Comparator.comparingInt(Tier::usableConnections)).toList()) {
            if (t.usableConnections() <= yMax / 1.05 && claimTiers.contains(t.id()) && drawn.add(t.usableConnections()))
                hline(ch, tierLabel(t) + " limit (" + t.usableConnections() + ")", t.usableConnections(), 0, xEnd,
                        OTHER_LIMITS[(drawn.size() - 2) % OTHER_LIMITS.length]);
        }
        if (threshold != null && threshold <= xEnd) {
            XYSeries th = ch.addSeries("threshold " + Fmt.stores(threshold), new double[]{threshold, threshold}, new double[]{0, yMax});
            th.setLineColor(INK);
            th.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{2f, 4f}, 0f));
            th.setMarker(SeriesMarkers.NONE);
        }
        ch.getStyler().setXAxisMin(0.0).setXAxisMax(xEnd).setYAxisMin(0.0).setYAxisMax(yMax);
        markers(ch, xEnd, yMax);
        return ch;
    }

    /** A baseline's per-level values as lighter markers behind this run's; nothing when it has none. */
    private static void baselinePoints(XYChart ch, String name, List<BaselineStudy.Level> levels,
                                       java.util.function.Function<BaselineStudy.Level, Double> value, Color c,
                                       org.knowm.xchart.style.markers.Marker marker) {
        List<BaselineStudy.Level> known = levels.stream().filter(l -> value.apply(l) != null).toList();
        if (known.isEmpty()) return;
        XYSeries s = ch.addSeries(name, known.stream().mapToDouble(BaselineStudy.Level::stores).toArray(),
                known.stream().mapToDouble(l -> value.apply(l)).toArray());
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(marker);
        s.setMarkerColor(ChartStyle.lighter(c));
    }

    private static void markers(XYChart ch, double xEnd, double yMax) {
        for (int m : MARKER_STORES) {
            if (m > xEnd) continue;
            ch.addAnnotation(new AnnotationLine(m, true, false));
            ch.addAnnotation(new AnnotationText(m + " stores", m, yMax * 0.96, false));
        }
    }

    // ---------------------------------------------------------------- time series

    static XYChart timeSeries(RunResult run, Samples smp) {
        XYChart ch = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(run.runId() + ": connections over time")
                .xAxisTitle("seconds since the run started").yAxisTitle("connections / instances").build();
        style(ch.getStyler());
        ch.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        long t0 = smp.epochMs()[0];
        double[] x = new double[smp.size()];
        for (int i = 0; i < x.length; i++) x[i] = (smp.epochMs()[i] - t0) / 1000.0;
        double[] active = smp.column("appActive"), idleTx = smp.column("appIdleInTx"), idle = smp.column("appIdle");
        double[] s1 = active.clone(), s2 = new double[x.length], s3 = new double[x.length];
        for (int i = 0; i < x.length; i++) { s2[i] = s1[i] + idleTx[i]; s3[i] = s2[i] + idle[i]; }
        double yMax = Math.max(max(s3), max(smp.column("warmInstances")));
        area(ch, "Postgres: idle", x, s3, new Color(0xbfdbfe));
        area(ch, "Postgres: idle in transaction", x, s2, new Color(0xf59e0b));
        area(ch, "Postgres: active", x, s1, MEASURED);
        if (run.config().route() == Route.POOLED) {
            line(ch, "PgBouncer clients: active", x, smp.column("clActive"), CLIENTS, SOLID);
            line(ch, "PgBouncer clients: waiting", x, smp.column("clWaiting"), REFUSED, SOLID);
            yMax = Math.max(yMax, max(smp.column("clActive")) + max(smp.column("clWaiting")));
        }
        line(ch, "warm instances", x, smp.column("warmInstances"), FIT, DASHED);
        int usable = run.config().tier().usableConnections();
        double xEnd = x[x.length - 1];
        if (usable <= Math.max(10, yMax) * 1.5) {
            hline(ch, tierLabel(run.config().tier()) + " limit (" + usable + ")", usable, 0, xEnd, LIMIT);
            yMax = Math.max(yMax, usable);
        }
        yMax = Math.max(1, yMax) * 1.12;
        for (LevelResult l : run.levels()) {
            double at = (l.startEpochMs() - t0) / 1000.0;
            if (at < 0 || at > xEnd) continue;
            ch.addAnnotation(new AnnotationLine(at, true, false));
            ch.addAnnotation(new AnnotationText(String.valueOf(l.stores()), at + xEnd * 0.012, yMax * 0.965, false));
        }
        ch.getStyler().setXAxisMin(0.0).setXAxisMax(xEnd).setYAxisMin(0.0).setYAxisMax(yMax);
        return ch;
    }

    private static void area(XYChart ch, String name, double[] x, double[] y, Color c) {
        XYSeries s = ch.addSeries(uniqueName(ch, name), x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        s.setFillColor(c);
        s.setLineColor(c);
        s.setMarker(SeriesMarkers.NONE);
    }

    private static void line(XYChart ch, String name, double[] x, double[] y, Color c, BasicStroke stroke) {
        XYSeries s = ch.addSeries(uniqueName(ch, name), x, y);
        s.setLineColor(c);
        s.setLineStyle(stroke);
        s.setMarker(SeriesMarkers.NONE);
    }
}

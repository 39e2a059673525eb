package io.storecap.reports;

import io.storecap.model.LevelResult;
import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.TierCapacity;
import io.storecap.model.ValidationRow;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.fit.Curve;
import io.storecap.model.fit.LinearFit;
import io.storecap.model.fit.PowerLawFit;
import io.storecap.model.serverless.ServerlessCalibration;
import io.storecap.model.study.StudyModel;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The report's charts, drawn with XChart and written as PNG (for the page) and SVG (for print and
 * slides). Everything plotted comes from the model and the runs.
 */
public final class Charts {
    private Charts() {}

    /** Store counts the plan talks about: today's 20-25, the Free pooled 500-700, the Scale 2000+. */
    public static final List<Integer> MARKER_STORES = List.of(25, 700, 2000);
    public static final double SLO_P95_MS = 500;
    public static final double SLO_ERROR_RATE = 0.01;

    static final int WIDTH = 1100, HEIGHT = 560;

    private static final Color INK = new Color(0x1f2937);
    private static final Color GRID = new Color(0xe5e7eb);
    private static final Color MEASURED = new Color(0x1d4ed8);
    private static final Color CLIENTS = new Color(0x7c3aed);
    private static final Color FIT = new Color(0x0f766e);
    private static final Color BAND = new Color(15, 118, 110, 50);
    private static final Color LIMIT = new Color(0xb91c1c);
    private static final Color[] OTHER_LIMITS = {new Color(0xf59e0b), new Color(0xa16207), new Color(0xd946ef), new Color(0x64748b)};
    private static final Color REFUSED = new Color(0xdc2626);
    private static final Color CLAIMED = new Color(0x9ca3af);
    private static final Color[] PALETTE = {
            new Color(0x1d4ed8), new Color(0xea580c), new Color(0x15803d), new Color(0x7c3aed),
            new Color(0xbe185d), new Color(0x0e7490), new Color(0x854d0e), new Color(0x4b5563)};
    private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[]{8f, 6f}, 0f);
    private static final BasicStroke SOLID = new BasicStroke(2.5f);

    /** Draws every chart the data allows into outDir/charts and returns them in page order (no time series). */
    public static List<ChartFile> writeAll(Path outDir, StudyModel model, List<RunResult> runs, Map<String, Tier> tiers) {
        return writeAll(outDir, model, runs, tiers, null);
    }

    /** As above; with run folders in {@code ctx}, each run's connection time series from its samples.csv too. */
    public static List<ChartFile> writeAll(Path outDir, StudyModel model, List<RunResult> runs, Map<String, Tier> tiers,
                                           ReportContext ctx) {
        Path dir = outDir.resolve("charts");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        List<ChartFile> out = new ArrayList<>();
        if (!model.claims().isEmpty())
            out.add(save(dir, "thresholds", "Measured capacity against the plan's claims",
                    "Grey bar: the claimed range (an open-ended claim such as 1000+ runs to the right edge). Diamond: the "
                            + "measured threshold, coloured by verdict; the line through it is its 95 % interval. Log scale.",
                    thresholds(model)));
        Set<String> claimTiers = new LinkedHashSet<>(model.claims().stream().map(ClaimResult::tier).toList());
        Set<String> ids = new LinkedHashSet<>();
        for (RunResult r : runs) {
            List<ClaimResult> claims = model.claims().stream().filter(c -> r.runId().equals(c.runId())).toList();
            String id = "connections-" + slug(r.runId());
            for (int i = 2; !ids.add(id); i++) id = "connections-" + slug(r.runId()) + "-" + i;
            String who = claims.isEmpty() ? r.config().id() : String.join(", ", claims.stream().map(ClaimResult::id).toList());
            out.add(save(dir, id, "Connections against stores: " + who,
                    "Dots: peak Postgres connections at each level" + (r.config().route() == Route.POOLED
                            ? "; diamonds: clients held by PgBouncer" : "")
                            + ". Line and shaded band: the linear fit and its 95 % confidence band. Red dashed line: "
                            + "the connections the app may use on this tier. Red crosses: levels with refused connections.",
                    connections(r, claims, tiers, claimTiers)));
            Samples samples = ctx == null ? null : Samples.of(r, ctx.runDirs().get(r.runId()), 1500);
            if (samples != null && samples.size() > 1)
                out.add(save(dir, "timeseries-" + slug(r.runId()), "Connections over time: " + r.runId(),
                        "Postgres backends of the app by state (stacked: active, idle in transaction, idle)"
                                + (r.config().route() == Route.POOLED ? ", PgBouncer clients active and waiting" : "")
                                + " and warm function instances, as the sampler saw them (highest value per point). "
                                + "Dotted lines mark where each level of the stair starts, labelled with its store count.",
                        timeSeries(r, samples)));
        }
        if (!runs.isEmpty()) {
            out.add(save(dir, "latency", "p95 response time against stores",
                    "One line per run. Dashed line: the 500 ms p95 alert level of the plan.", latency(runs)));
            out.add(save(dir, "errors", "Error rate against stores",
                    "One line per run. Dashed line: the plan's 1 % error-rate limit.", errors(runs)));
        }
        if (!model.validation().isEmpty())
            out.add(save(dir, "validation", "Predicted against measured (model validation)",
                    "Each point is a level the fit never saw: the model was fitted on the lower levels of a run and predicted "
                            + "the upper ones. On the diagonal the prediction was exact; the vertical line is the 95 % prediction interval.",
                    validation(model.validation())));
        for (String variable : List.of("rateMultiplier", "idleTtlSeconds", "connectionLimit")) {
            XYChart sens = sensitivity(model.serverless(), variable);
            if (sens != null)
                out.add(save(dir, "sensitivity-" + slug(variable), "Sensitivity: stores held against " + SENS_LABEL.get(variable),
                        "The calibrated serverless model: how many stores the run's tier holds (peak hour, 95 %) as one "
                                + "traffic assumption changes and the others stay as measured. White markers are extrapolations beyond what the run measured.",
                        sens));
        }
        CategoryChart cost = costPerStore(model, tiers);
        if (cost != null)
            out.add(save(dir, "cost-per-store", "Monthly cost per store at the measured capacity",
                    "Tier price per month divided by the stores it holds; lower is better. A free tier costs $0, and a "
                            + "bar of 0 on a priced tier means the model found no capacity there.",
                    cost));
        return out;
    }

    // ---------------------------------------------------------------- connections

    static XYChart connections(RunResult run, List<ClaimResult> claims, Map<String, Tier> tiers, Set<String> claimTiers) {
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
        double stairTop = levels.stream().mapToDouble(LevelResult::stores).max().orElse(1);
        // The model's chosen shape (linear or power law) when it made one; the plain linear fit otherwise.
        Curve fit = claims.stream().map(c -> c.fits() != null ? c.fits().curve() : c.fit()).filter(f -> f != null)
                .findFirst().orElse(null);
        Double threshold = claims.stream().map(c -> c.measured() == null ? null : c.measured().threshold())
                .filter(t -> t != null && Double.isFinite(t)).findFirst().orElse(null);
        double xEnd = 1.05 * (threshold != null && threshold <= 2.5 * stairTop ? Math.max(stairTop, threshold) : stairTop);

        double yData = max(peak);
        if (run.config().route() == Route.POOLED) yData = Math.max(yData, levels.stream().mapToDouble(l -> l.poolerClients().max()).max().orElse(0));
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

    // ---------------------------------------------------------------- latency and errors

    static XYChart latency(List<RunResult> runs) {
        XYChart ch = perRunChart("p95 response time against stores", "p95 (ms)", runs, l -> l.requests().p95Ms(), 1);
        addSlo(ch, runs, SLO_P95_MS, "p95 alert: 500 ms");
        return ch;
    }

    static XYChart errors(List<RunResult> runs) {
        XYChart ch = perRunChart("Error rate against stores", "errors (%)", runs, l -> l.requests().errorRate() * 100, 100);
        addSlo(ch, runs, SLO_ERROR_RATE * 100, "limit: 1 %");
        ch.getStyler().setYAxisMin(0.0);
        return ch;
    }

    private interface LevelValue { double of(LevelResult l); }

    private static XYChart perRunChart(String title, String yTitle, List<RunResult> runs, LevelValue f, double logFloor) {
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

    // ---------------------------------------------------------------- validation and sensitivity

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
                    rows.stream().mapToDouble(r -> Math.max(1, r.storesAtLimit())).toArray());
            line.setLineColor(col);
            line.setMarkerColor(col);
            line.setMarker(SeriesMarkers.CIRCLE);
            line.setLineStyle(SOLID);
            List<ServerlessCalibration.SensitivityRow> ext = rows.stream().filter(ServerlessCalibration.SensitivityRow::extrapolated).toList();
            if (!ext.isEmpty()) {
                XYSeries e = ch.addSeries(uniqueName(ch, c.configurationId() + " (extrapolated)"),
                        ext.stream().mapToDouble(ServerlessCalibration.SensitivityRow::value).toArray(),
                        ext.stream().mapToDouble(r -> Math.max(1, r.storesAtLimit())).toArray());
                e.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                e.setMarker(SeriesMarkers.CIRCLE);
                e.setMarkerColor(Color.WHITE);
                e.setShowInLegend(false);
            }
            for (ServerlessCalibration.SensitivityRow r : rows) { yMin = Math.min(yMin, Math.max(1, r.storesAtLimit())); yMax = Math.max(yMax, r.storesAtLimit()); }
        }
        if (yMin > 0 && yMax / yMin > 30) ch.getStyler().setYAxisLogarithmic(true);
        else ch.getStyler().setYAxisMin(0.0);
        return ch;
    }

    // ---------------------------------------------------------------- thresholds and cost

    /**
     * One row per claim on a log store axis: the claimed range as a thick grey bar (open-ended claims
     * run to the right edge), the measured threshold as a diamond coloured by verdict, its 95 %
     * interval as a line through it. A log axis keeps 20 stores and 2000 stores readable together.
     */
    static XYChart thresholds(StudyModel model) {
        List<ClaimResult> claims = model.claims();
        int n = Math.max(1, claims.size());
        XYChart ch = new XYChartBuilder().width(WIDTH).height(Math.max(300, 120 + 70 * n))
                .title("Capacity: measured against claimed").xAxisTitle("stores (log scale)").yAxisTitle("claims").build();
        style(ch.getStyler());
        ch.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        ch.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        double lo = Double.MAX_VALUE, hi = 0;
        for (ClaimResult c : claims) {
            lo = Math.min(lo, c.claimed().min());
            hi = Math.max(hi, c.claimed().top());
            if (c.measured() != null) for (Double v : new Double[]{c.measured().threshold(), c.measured().low(), c.measured().high()})
                if (v != null && Double.isFinite(v) && v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        }
        if (hi <= 0) { lo = 1; hi = 100; }
        double xMin = Math.max(1, lo * 0.5);
        double xMax = hi * 2.5; // room on the right for the last label
        boolean claimedShown = false, measuredShown = false;
        for (int i = 0; i < claims.size(); i++) {
            ClaimResult c = claims.get(i);
            double y = claims.size() - i;
            double top = c.claimed().openEnded() ? xMax : Math.max(c.claimed().top(), c.claimed().min() * 1.04);
            XYSeries cl = ch.addSeries(claimedShown ? c.id() + " claimed" : "claimed range", new double[]{Math.max(xMin, c.claimed().min()), top}, new double[]{y, y});
            if (claimedShown) cl.setShowInLegend(false);
            claimedShown = true;
            cl.setLineColor(new Color(156, 163, 175, 150));
            cl.setLineStyle(new BasicStroke(16f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
            cl.setMarker(SeriesMarkers.NONE);
            Color vc = verdictColor(c);
            Double t = c.measured() == null ? null : c.measured().threshold();
            if (t == null || !Double.isFinite(t) || t <= 0) {
                ch.addAnnotation(new AnnotationText(c.id() + ": not determined", Math.sqrt(xMin * xMax), y, false));
                continue;
            }
            Double l = c.measured().low(), h = c.measured().high();
            double il = l == null || !Double.isFinite(l) || l <= 0 ? t : Math.max(xMin, l);
            double ih = h == null || !Double.isFinite(h) ? (c.measured().lowerBound() ? xMax : t) : h;
            XYSeries iv = ch.addSeries(c.id() + " interval", new double[]{il, ih}, new double[]{y, y});
            iv.setShowInLegend(false);
            iv.setLineColor(vc);
            iv.setLineStyle(new BasicStroke(3f));
            iv.setMarker(SeriesMarkers.NONE);
            XYSeries m = ch.addSeries(measuredShown ? c.id() + " measured" : "measured (line: 95 % interval)",
                    new double[]{t}, new double[]{y});
            measuredShown = true;
            m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            m.setMarker(SeriesMarkers.DIAMOND);
            m.setMarkerColor(vc);
            if (!m.getName().startsWith("measured")) m.setShowInLegend(false);
            ch.addAnnotation(new AnnotationText(c.id() + ": " + Fmt.threshold(c.measured()) + "  " + c.verdict().name(), t, y + 0.34, false));
        }
        ch.getStyler().setXAxisLogarithmic(true).setXAxisMin(xMin).setXAxisMax(xMax)
                .setYAxisMin(0.4).setYAxisMax(claims.size() + 0.75);
        ch.getStyler().setXAxisDecimalPattern("#,###");
        ch.getStyler().setYAxisTicksVisible(false);
        ch.getStyler().setPlotGridHorizontalLinesVisible(false);
        ch.getStyler().setMarkerSize(16);
        return ch;
    }

    private static Color verdictColor(ClaimResult c) {
        return switch (c.verdict()) {
            case CONFIRMED -> new Color(0x15803d);
            case OPTIMISTIC -> new Color(0xb91c1c);
            case CONSERVATIVE -> new Color(0x1d4ed8);
            case NOT_REFUTED -> new Color(0x0e7490);
            case INCONCLUSIVE -> new Color(0x6b7280);
        };
    }

    static CategoryChart costPerStore(StudyModel model, Map<String, Tier> tiers) {
        if (!model.tierCapacities().isEmpty()) return costPerTier(model.tierCapacities());
        List<String> ids = new ArrayList<>();
        List<Double> cents = new ArrayList<>();
        for (ClaimResult c : model.claims()) {
            Double perStore = SummaryJson.costPerStore(c, tiers.get(c.tier()));
            if (perStore == null || !Double.isFinite(perStore)) continue;
            ids.add(c.id());
            cents.add(Math.round(perStore * 100 * 100) / 100.0);
        }
        if (ids.isEmpty()) return null;
        CategoryChart ch = costChart("claim");
        CategorySeries s = ch.addSeries("cents per store", ids, cents);
        s.setFillColor(FIT);
        ch.getStyler().setLegendVisible(false);
        return ch;
    }

    /** Every tier of the tiers file, per route, from the model's tier capacities (the measured fits at each limit). */
    static CategoryChart costPerTier(List<TierCapacity> caps) {
        List<String> tiersWithCost = caps.stream().filter(c -> c.costPerStoreUsd() != null && Double.isFinite(c.costPerStoreUsd()))
                .map(TierCapacity::tier).distinct().toList();
        if (tiersWithCost.isEmpty()) return null;
        CategoryChart ch = costChart("tier");
        int i = 0;
        for (Route route : Route.values()) {
            List<Double> cents = new ArrayList<>();
            boolean any = false;
            for (String t : tiersWithCost) {
                Double v = caps.stream().filter(c -> c.tier().equals(t) && c.route() == route && c.costPerStoreUsd() != null)
                        .map(c -> Math.round(c.costPerStoreUsd() * 100 * 100) / 100.0).findFirst().orElse(null);
                any |= v != null;
                cents.add(v == null ? 0.0 : v);
            }
            if (!any) continue;
            CategorySeries s = ch.addSeries(Fmt.route(route), tiersWithCost, cents);
            s.setFillColor(i++ == 0 ? new Color(0x9ca3af) : FIT);
        }
        return ch;
    }

    private static CategoryChart costChart(String xTitle) {
        CategoryChart ch = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Cost per store per month at capacity")
                .xAxisTitle(xTitle).yAxisTitle("US cents (¢) per store per month").build();
        style(ch.getStyler());
        ch.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        ch.getStyler().setLabelsVisible(true);
        ch.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        ch.getStyler().setLabelsFontColorAutomaticEnabled(true);
        ch.getStyler().setLabelsPosition(1.0);
        ch.getStyler().setLabelsFontColorAutomaticEnabled(false);
        ch.getStyler().setLabelsFontColor(INK);
        ch.getStyler().setDecimalPattern("#,##0.00");
        ch.getStyler().setYAxisDecimalPattern("#,##0.00");
        ch.getStyler().setYAxisMin(0.0);
        return ch;
    }

    // ---------------------------------------------------------------- helpers

    private static void hline(XYChart ch, String name, double y, double x0, double x1, Color c) {
        XYSeries s = ch.addSeries(uniqueName(ch, name), new double[]{x0, x1}, new double[]{y, y});
        s.setLineColor(c);
        s.setLineStyle(DASHED);
        s.setMarker(SeriesMarkers.NONE);
    }

    private static String uniqueName(XYChart ch, String name) {
        String n = name;
        for (int i = 2; ch.getSeriesMap().containsKey(n); i++) n = name + " (" + i + ")";
        return n;
    }

    private static void style(AxesChartStyler s) {
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

    private static ChartFile save(Path dir, String id, String title, String caption, Chart<?, ?> chart) {
        Path png = dir.resolve(id + ".png"), svg = dir.resolve(id + ".svg");
        try (OutputStream o = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + png + ": " + e.getMessage(), e);
        }
        try (OutputStream o = Files.newOutputStream(svg)) {
            VectorGraphicsEncoder.saveVectorGraphic(chart, o, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + svg + ": " + e.getMessage(), e);
        }
        return new ChartFile(id, title, caption, "charts/" + id + ".png", "charts/" + id + ".svg", chart.getWidth(), chart.getHeight());
    }

    static String tierLabel(Tier t) {
        return Character.toUpperCase(t.id().charAt(0)) + t.id().substring(1);
    }

    static String slug(String s) {
        String x = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return x.isEmpty() ? "run" : x;
    }

    private static double max(double[] a) { double m = 0; for (double v : a) if (Double.isFinite(v)) m = Math.max(m, v); return m; }

    private static double min(double[] a) { double m = Double.MAX_VALUE; for (double v : a) m = Math.min(m, v); return m; }

    private static double finiteOr(double v, double d) { return Double.isFinite(v) ? v : d; }
}

package io.storecap.reports;

import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.study.StudyModel;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The report's charts, drawn with XChart and written as PNG (for the page) and SVG (for print and
 * slides). Everything plotted comes from the model and the runs. This class decides which charts the
 * data allows, in page order, and writes them; the charts themselves are drawn by
 * {@link CapacityCharts}, {@link ConnectionCharts}, {@link LatencyCharts} and {@link ModelCharts}
 * in the shared look of {@link ChartStyle}.
 */
public final class Charts {
    private Charts() {}

    /** Store counts the plan talks about: today's 20-25, the Free pooled 500-700, the Scale 2000+. */
    public static final List<Integer> MARKER_STORES = List.of(25, 700, 2000);
    public static final double SLO_P95_MS = 500;
    public static final double SLO_ERROR_RATE = 0.01;

    /** Draws every chart the data allows into outDir/charts and returns them in page order (no time series). */
    public static List<ChartFile> writeAll(Path outDir, StudyModel model, List<RunResult> runs, Map<String, Tier> tiers) {
        return writeAll(outDir, model, runs, tiers, null);
    }

    /** As above; with run folders in {@code ctx}, each run's connection time series from its samples.csv too. */
    public static List<ChartFile> writeAll(Path outDir, StudyModel model, List<RunResult> runs, Map<String, Tier> tiers,
                                           ReportContext ctx) {
        return writeAll(outDir, model, runs, tiers, ctx, null);
    }

    /**
     * As above; with a baseline study ({@code --baseline}; null for none) the capacity, connection,
     * latency and error charts also draw the baseline's values, lighter, level by level.
     */
    public static List<ChartFile> writeAll(Path outDir, StudyModel model, List<RunResult> runs, Map<String, Tier> tiers,
                                           ReportContext ctx, StudyComparison baseline) {
        BaselineStudy base = baseline == null ? null : baseline.baseline();
        String vs = base == null ? "" : " Lighter, dashed: the baseline study (" + base.source() + ").";
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
                            + "measured threshold, coloured by verdict; the line through it is its 95 % interval. Log scale."
                            + (base == null ? "" : " Slate diamond and thin line just below each claim: the baseline study's threshold and interval ("
                            + base.source() + ")."),
                    CapacityCharts.thresholds(model, baseline)));
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
                            + "the connections the app may use on this tier. Red crosses: levels with refused connections."
                            + (base == null || base.levels(r).isEmpty() ? ""
                            : " Lighter markers: the same run of the baseline study (" + base.source() + "), level by level."),
                    ConnectionCharts.connections(r, claims, tiers, claimTiers, base == null ? List.of() : base.levels(r))));
            Samples samples = ctx == null ? null : Samples.of(r, ctx.runDirs().get(r.runId()), 1500);
            if (samples != null && samples.size() > 1)
                out.add(save(dir, "timeseries-" + slug(r.runId()), "Connections over time: " + r.runId(),
                        "Postgres backends of the app by state (stacked: active, idle in transaction, idle)"
                                + (r.config().route() == Route.POOLED ? ", PgBouncer clients active and waiting" : "")
                                + " and warm function instances, as the sampler saw them (highest value per point). "
                                + "Dotted lines mark where each level of the stair starts, labelled with its store count.",
                        ConnectionCharts.timeSeries(r, samples)));
        }
        if (!runs.isEmpty()) {
            out.add(save(dir, "latency", "p95 response time against stores",
                    "One line per run. Dashed line: the 500 ms p95 alert level of the plan." + vs, LatencyCharts.latency(runs, base)));
            out.add(save(dir, "errors", "Error rate against stores",
                    "One line per run. Dashed line: the plan's 1 % error-rate limit." + vs, LatencyCharts.errors(runs, base)));
        }
        if (!model.validation().isEmpty())
            out.add(save(dir, "validation", "Predicted against measured (model validation)",
                    "Each point is a level the fit never saw: the model was fitted on the lower levels of a run and predicted "
                            + "the upper ones. On the diagonal the prediction was exact; the vertical line is the 95 % prediction interval.",
                    ModelCharts.validation(model.validation())));
        for (String variable : List.of("rateMultiplier", "idleTtlSeconds", "connectionLimit")) {
            XYChart sens = ModelCharts.sensitivity(model.serverless(), variable);
            if (sens != null)
                out.add(save(dir, "sensitivity-" + slug(variable), "Sensitivity: stores held against " + ModelCharts.SENS_LABEL.get(variable),
                        "The calibrated serverless model: how many stores the run's tier holds (peak hour, 95 %) as one "
                                + "traffic assumption changes and the others stay as measured. White markers are extrapolations beyond what the run measured.",
                        sens));
        }
        CategoryChart cost = CapacityCharts.costPerStore(model, tiers);
        if (cost != null)
            out.add(save(dir, "cost-per-store", "Monthly cost per store at the measured capacity",
                    "Tier price per month divided by the stores it holds; lower is better. A free tier costs $0, and a "
                            + "bar of 0 on a priced tier means the model found no capacity there.",
                    cost));
        return out;
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

    static String slug(String s) {
        String x = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return x.isEmpty() ? "run" : x;
    }
}

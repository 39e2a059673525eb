package io.storecap.reports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storecap.model.Json;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.study.StudyModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a report folder: index.html, summary.json and charts/*.png|svg. The page and the summary
 * are built from the same derived values (TL;DR, targets), so they cannot disagree.
 */
public final class ReportWriter {
    private ReportWriter() {}

    public static Report write(Path outDir, StudyModel model, List<RunResult> runs, Map<String, Tier> tiers,
                               ReportContext ctx) {
        return write(outDir, model, runs, tiers, ctx, null);
    }

    /**
     * As above, compared with a baseline study ({@code --baseline}; null for none): a "vs baseline"
     * column in the verdict table, the baseline's levels as a lighter series in the charts, and
     * summary.json's {@code baseline} block, all from one {@link StudyComparison}.
     */
    public static Report write(Path outDir, StudyModel model, List<RunResult> runs, Map<String, Tier> tiers,
                               ReportContext ctx, BaselineStudy baseline) {
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(model, "model");
        runs = runs == null ? List.of() : runs;
        tiers = tiers == null ? Map.of() : tiers;
        ctx = ctx == null ? ReportContext.fromRuns(null, runs) : ctx;
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the report folder " + outDir + ": " + e.getMessage(), e);
        }
        StudyComparison cmp = baseline == null ? null : StudyComparison.of(baseline, model);
        List<ChartFile> charts = Charts.writeAll(outDir, model, runs, tiers, ctx, cmp);
        List<String> tldr = new java.util.ArrayList<>(Tldr.lines(model, tiers, ctx.planningStores()));
        // every production figure is the model's extrapolation: whether it predicted what it had not seen belongs on the first screen
        tldr.add(ctx.validation().sentence());
        List<Targets.Row> targets = Targets.compute(runs, ctx);
        ObjectNode summary = SummaryJson.build(model, runs, tiers, ctx, charts, cmp);
        String html = HtmlPage.render(model, runs, tiers, ctx, charts, tldr, targets, cmp);
        Path summaryFile = outDir.resolve("summary.json"), index = outDir.resolve("index.html");
        try {
            writeAtomically(summaryFile, Json.JSON.writeValueAsString(summary) + "\n");
            writeAtomically(index, html);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + outDir + ": " + e.getMessage(), e);
        }
        return new Report(outDir, index, summaryFile, charts, summary);
    }

    /** Write beside, then move: a CI job reading summary.json never sees half a file. */
    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

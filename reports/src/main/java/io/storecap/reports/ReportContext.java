package io.storecap.reports;

import io.storecap.model.RunResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Facts about the study that are not in the model: how it was run, on what, and where the Gatling
 * reports are. Build it with {@link #fromRuns} and adjust with the {@code with...} methods.
 *
 * @param studyMode      "quick" or "full" (free text is accepted, it is only shown)
 * @param startedEpochMs start of the study; null when unknown
 * @param finishedEpochMs end of the study; null when unknown
 * @param environment    versions and machine facts (postgres, pgbouncer, java, os, cpus, ...), shown as given
 * @param profile        the traffic profile the runs used (per-store rates, bursts, reasons)
 * @param gatlingReports run id -> link to that run's Gatling index.html, relative to the report folder
 * @param title          page title
 * @param planningStores the store count the plan sizes for (the seed: 1000); targets and the TL;DR use it
 * @param currentStores  the store count "now" (the seed's 20-25 stores); the "response now" target uses it
 * @param notes          study-level remarks shown under the run metadata
 * @param runDirs        run id -> that run's folder, where the charts read its samples.csv; empty when unknown
 * @param studyId        the study's name (its folder's, e.g. 20260101-120000); null when unknown. A later
 *                       study compared against this one (--baseline) names it by this
 * @param commit         the commit of the code under test (STORECAP_COMMIT or GITHUB_SHA); null when unknown
 * @param validation     the model's validation ({@code ./storecap validate}), shown on the first screen
 */
public record ReportContext(String studyMode, Long startedEpochMs, Long finishedEpochMs,
                            Map<String, String> environment, Map<String, Object> profile,
                            Map<String, String> gatlingReports, String title, int planningStores,
                            int currentStores, List<String> notes, Map<String, Path> runDirs,
                            String studyId, String commit, ModelValidation validation) {

    public static final String DEFAULT_TITLE = "Capacity report: does the scaling plan hold?";
    /** The seed plan's sizing point: "< 200 ms at 1000 stores", "10,000+ webhooks/hour at 1000 stores". */
    public static final int DEFAULT_PLANNING_STORES = 1000;
    /** The seed plan's present size: the free-direct claim of 20-25 stores. */
    public static final int DEFAULT_CURRENT_STORES = 25;

    public ReportContext {
        studyMode = studyMode == null || studyMode.isBlank() ? "unspecified" : studyMode;
        environment = environment == null ? Map.of() : sortedCopy(environment);
        profile = profile == null ? Map.of() : profile;
        gatlingReports = gatlingReports == null ? Map.of() : sortedCopy(gatlingReports);
        title = title == null || title.isBlank() ? DEFAULT_TITLE : title;
        if (planningStores < 1) throw new IllegalArgumentException("planningStores must be >= 1, was " + planningStores);
        if (currentStores < 1) throw new IllegalArgumentException("currentStores must be >= 1, was " + currentStores);
        notes = notes == null ? List.of() : List.copyOf(notes);
        runDirs = runDirs == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(runDirs));
        studyId = studyId == null || studyId.isBlank() ? null : studyId;
        commit = commit == null || commit.isBlank() ? null : commit.trim();
        validation = validation == null ? ModelValidation.NONE : validation;
    }

    /** With a study id and commit, no validation known. */
    public ReportContext(String studyMode, Long startedEpochMs, Long finishedEpochMs, Map<String, String> environment,
                         Map<String, Object> profile, Map<String, String> gatlingReports, String title, int planningStores,
                         int currentStores, List<String> notes, Map<String, Path> runDirs, String studyId, String commit) {
        this(studyMode, startedEpochMs, finishedEpochMs, environment, profile, gatlingReports, title, planningStores,
                currentStores, notes, runDirs, studyId, commit, null);
    }

    /** The same context with the model's validation. */
    public ReportContext withValidation(ModelValidation v) {
        return new ReportContext(studyMode, startedEpochMs, finishedEpochMs, environment, profile, gatlingReports, title, planningStores,
                currentStores, notes, runDirs, studyId, commit, v);
    }

    /** Without a study id or commit. */
    public ReportContext(String studyMode, Long startedEpochMs, Long finishedEpochMs, Map<String, String> environment,
                         Map<String, Object> profile, Map<String, String> gatlingReports, String title, int planningStores,
                         int currentStores, List<String> notes, Map<String, Path> runDirs) {
        this(studyMode, startedEpochMs, finishedEpochMs, environment, profile, gatlingReports, title, planningStores,
                currentStores, notes, runDirs, null, null);
    }

    /** Without run folders (no time-series charts). */
    public ReportContext(String studyMode, Long startedEpochMs, Long finishedEpochMs, Map<String, String> environment,
                         Map<String, Object> profile, Map<String, String> gatlingReports, String title, int planningStores,
                         int currentStores, List<String> notes) {
        this(studyMode, startedEpochMs, finishedEpochMs, environment, profile, gatlingReports, title, planningStores,
                currentStores, notes, Map.of());
    }

    /**
     * The context the runs themselves give: earliest start, latest finish, their environment (values
     * that differ between runs are joined with " | "), the first run's profile (a note is added when
     * runs used different profiles), and each run's Gatling report path as the run recorded it
     * (relative to the run folder: call {@link #withGatlingLinks} to make them relative to the report).
     */
    public static ReportContext fromRuns(String studyMode, List<RunResult> runs) {
        Objects.requireNonNull(runs, "runs");
        Long started = null, finished = null;
        Map<String, Set<String>> env = new LinkedHashMap<>();
        Map<String, String> gatling = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        io.storecap.model.TrafficProfile first = runs.isEmpty() ? null : runs.get(0).profile();
        Map<String, Object> profile = first == null ? Map.of() : first.asMap();
        for (RunResult r : runs) {
            if (r.startedEpochMs() > 0) started = started == null ? r.startedEpochMs() : Math.min(started, r.startedEpochMs());
            if (r.finishedEpochMs() > 0) finished = finished == null ? r.finishedEpochMs() : Math.max(finished, r.finishedEpochMs());
            r.environment().forEach((k, v) -> env.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(v));
            if (r.gatlingReport() != null && !r.gatlingReport().isBlank()) gatling.put(r.runId(), r.gatlingReport());
            if (!java.util.Objects.equals(r.profile(), first))
                notes.add("Run " + r.runId() + " used a different traffic profile from the one shown under Assumptions.");
        }
        Map<String, String> merged = new LinkedHashMap<>();
        env.forEach((k, v) -> merged.put(k, String.join(" | ", v)));
        return new ReportContext(studyMode, started, finished, merged, profile, gatling, null,
                DEFAULT_PLANNING_STORES, DEFAULT_CURRENT_STORES, notes);
    }

    /**
     * Rewrites each run's Gatling report path so it works from the report folder: runDirs maps run
     * id -> that run's folder. Runs without a folder or without a Gatling report keep no link.
     */
    public ReportContext withGatlingLinks(Path outDir, Map<String, Path> runDirs, List<RunResult> runs) {
        Map<String, String> links = new LinkedHashMap<>();
        Path base = outDir.toAbsolutePath().normalize();
        for (RunResult r : runs) {
            Path dir = runDirs.get(r.runId());
            if (dir == null || r.gatlingReport() == null || r.gatlingReport().isBlank()) continue;
            Path target = dir.toAbsolutePath().normalize().resolve(r.gatlingReport()).normalize();
            links.put(r.runId(), base.relativize(target).toString().replace('\\', '/'));
        }
        return withGatlingReports(links).withRunDirs(runDirs);
    }

    /** Run id -> run folder: the charts read each run's samples.csv (run.json's samplesFile) from there. */
    public ReportContext withRunDirs(Map<String, Path> dirs) {
        return new ReportContext(studyMode, startedEpochMs, finishedEpochMs, environment, profile, gatlingReports, title,
                planningStores, currentStores, notes, dirs, studyId, commit, validation);
    }

    public ReportContext withGatlingReports(Map<String, String> links) {
        return new ReportContext(studyMode, startedEpochMs, finishedEpochMs, environment, profile, links, title,
                planningStores, currentStores, notes, runDirs, studyId, commit, validation);
    }

    public ReportContext withTitle(String t) {
        return new ReportContext(studyMode, startedEpochMs, finishedEpochMs, environment, profile, gatlingReports, t,
                planningStores, currentStores, notes, runDirs, studyId, commit, validation);
    }

    public ReportContext withStoreCounts(int planning, int current) {
        return new ReportContext(studyMode, startedEpochMs, finishedEpochMs, environment, profile, gatlingReports,
                title, planning, current, notes, runDirs, studyId, commit, validation);
    }

    public ReportContext withTimes(Long started, Long finished) {
        return new ReportContext(studyMode, started, finished, environment, profile, gatlingReports, title,
                planningStores, currentStores, notes, runDirs, studyId, commit, validation);
    }

    public ReportContext withEnvironment(Map<String, String> env) {
        return new ReportContext(studyMode, startedEpochMs, finishedEpochMs, env, profile, gatlingReports, title,
                planningStores, currentStores, notes, runDirs, studyId, commit, validation);
    }

    public ReportContext withNotes(List<String> n) {
        return new ReportContext(studyMode, startedEpochMs, finishedEpochMs, environment, profile, gatlingReports,
                title, planningStores, currentStores, n, runDirs, studyId, commit, validation);
    }

    /** Names the study and the commit it measured, for summary.json's metadata (a later --baseline reads them). */
    public ReportContext withStudy(String id, String commitSha) {
        return new ReportContext(studyMode, startedEpochMs, finishedEpochMs, environment, profile, gatlingReports, title,
                planningStores, currentStores, notes, runDirs, id, commitSha, validation);
    }

    /** The commit under test as CI or the caller names it: STORECAP_COMMIT, else GITHUB_SHA; null when neither is set. */
    public static String commitFromEnvironment() {
        for (String k : new String[]{"STORECAP_COMMIT", "GITHUB_SHA"}) {
            String v = System.getenv(k);
            if (v != null && !v.isBlank()) return v.trim();
        }
        return null;
    }

    private static Map<String, String> sortedCopy(Map<String, String> m) {
        Map<String, String> copy = new LinkedHashMap<>();
        m.entrySet().stream().filter(e -> e.getKey() != null && e.getValue() != null)
                .sorted(Map.Entry.comparingByKey()).forEach(e -> copy.put(e.getKey(), e.getValue()));
        return java.util.Collections.unmodifiableMap(copy);
    }
}

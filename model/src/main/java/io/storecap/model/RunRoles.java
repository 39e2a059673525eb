package io.storecap.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which claim a run belongs to and in which role. The study's convention:
 * <ul>
 * <li>a claim's <b>baseline</b> run has run id == claim id and no {@code pattern} service option
 * (or {@code pattern=none}); verdicts come from it alone;</li>
 * <li>a <b>variant</b> run of the same claim has run id {@code <claimId>~<pattern>} and the service
 * option {@code pattern=<anti-pattern>}; it feeds the explanation ("why the plan's numbers").</li>
 * </ul>
 * Older runs (no {@code ~} in the id, no pattern) belong to the claim named by their configuration
 * id, as before.
 */
public final class RunRoles {
    private RunRoles() {}

    public static final String PATTERN_OPTION = "pattern";
    public static final String NO_PATTERN = "none";
    /** Separates the claim id from the pattern in a variant run's id. */
    public static final char VARIANT_SEPARATOR = '~';
    /** Separates the claim id from the runtime in the id of a run under a further runtime ({@code <claim>@<runtime>}). */
    public static final char RUNTIME_SEPARATOR = '@';

    /** The anti-pattern a run switched on, lower case; null for a baseline run. */
    public static String pattern(RunResult run) {
        String p = run.config().serviceOptions().get(PATTERN_OPTION);
        if (p == null || p.isBlank() || NO_PATTERN.equalsIgnoreCase(p.trim())) {
            int i = run.runId().indexOf(VARIANT_SEPARATOR);
            return i < 0 ? null : run.runId().substring(i + 1).toLowerCase(Locale.ROOT);
        }
        return p.trim().toLowerCase(Locale.ROOT);
    }

    /** The claim a run belongs to: the part of the run id before {@code ~} or {@code @}, else the configuration id. */
    public static String claimId(RunResult run) {
        String id = run.runId();
        int i = id.indexOf(VARIANT_SEPARATOR), j = id.indexOf(RUNTIME_SEPARATOR);
        int cut = i > 0 && j > 0 ? Math.min(i, j) : Math.max(i, j);
        return cut > 0 ? id.substring(0, cut) : run.config().id().split("[~@]", 2)[0];
    }

    /** Whether the run measured its claim under a further runtime ({@code <claim>@<runtime>}), beside the baseline. */
    public static boolean isRuntimeVariant(RunResult run) { return run.runId().indexOf(RUNTIME_SEPARATOR) > 0 && pattern(run) == null; }

    /** The runtime a run ran under (its config's, else the part of the run id after {@code @}); null when it names none. */
    public static String runtime(RunResult run) {
        if (run.config().runtime() != null) return run.config().runtime();
        int j = run.runId().indexOf(RUNTIME_SEPARATOR);
        return j > 0 ? run.runId().substring(j + 1) : null;
    }

    public static boolean isBaseline(RunResult run) { return pattern(run) == null && !isRuntimeVariant(run); }

    /**
     * The latest run of one claim under each runtime, baseline first: the evidence of the report's
     * "verdict by runtime" table. Runs that name no runtime are keyed by "(study settings)".
     */
    public static Map<String, RunResult> byRuntime(String claimId, List<RunResult> runs) {
        Map<String, RunResult> out = new LinkedHashMap<>();
        RunResult base = baselines(runs).get(claimId);
        if (base != null) out.put(runtimeKey(base), base);
        for (RunResult r : runs)
            if (isRuntimeVariant(r) && claimId.equals(claimId(r))) out.merge(runtimeKey(r), r, RunRoles::later);
        return out;
    }

    private static String runtimeKey(RunResult r) {
        String rt = runtime(r);
        return rt == null ? "(study settings)" : rt;
    }

    /** The latest (by finish time) baseline run of every claim id, in first-seen order. */
    public static Map<String, RunResult> baselines(List<RunResult> runs) {
        Map<String, RunResult> out = new LinkedHashMap<>();
        for (RunResult r : runs)
            if (isBaseline(r)) out.merge(claimId(r), r, RunRoles::later);
        return out;
    }

    /** The latest variant run per pattern of one claim, by pattern name. */
    public static Map<String, RunResult> variants(String claimId, List<RunResult> runs) {
        Map<String, RunResult> out = new TreeMap<>();
        for (RunResult r : runs) {
            String p = pattern(r);
            if (p != null && claimId.equals(claimId(r))) out.merge(p, r, RunRoles::later);
        }
        return out;
    }

    /** Every latest run: baselines first, then each claim's variants. */
    public static List<RunResult> latest(List<RunResult> runs) {
        List<RunResult> out = new ArrayList<>(baselines(runs).values());
        Map<String, Boolean> claims = new LinkedHashMap<>();
        for (RunResult r : runs) claims.put(claimId(r), true);
        for (String c : claims.keySet()) out.addAll(variants(c, runs).values());
        for (String c : claims.keySet())
            byRuntime(c, runs).values().stream().filter(RunRoles::isRuntimeVariant).forEach(out::add);
        return out;
    }

    private static RunResult later(RunResult a, RunResult b) { return b.finishedEpochMs() >= a.finishedEpochMs() ? b : a; }
}

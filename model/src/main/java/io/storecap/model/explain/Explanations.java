package io.storecap.model.explain;

import io.storecap.model.AntiPattern;
import io.storecap.model.Claim;
import io.storecap.model.ModelSettings;
import io.storecap.model.Numbers;
import io.storecap.model.RunResult;
import io.storecap.model.RunRoles;
import io.storecap.model.Tier;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.serverless.ServerlessCalibration;
import io.storecap.model.serverless.ServerlessParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * "Why the plan's numbers": for each claim, the measured cost of each anti-pattern (its variant run
 * beside the baseline run, {@link MeasuredEffects}) and a search of the calibrated serverless model
 * for the settings under which the threshold falls inside the claimed range ({@link ModelledConditions}).
 * Measured findings come first (the patterns that reproduce the claim before the others), then the
 * modelled ones.
 */
public final class Explanations {
    private Explanations() {}

    /** Idle TTLs searched, seconds: the study's own, then production values up to Vercel's 15 minutes. */
    public static final double[] TTL_GRID = {10, 60, 300, 900};
    /** The production-like TTL the connection_limit and hold-time variations are evaluated at. */
    public static final double PRODUCTION_TTL = 300;

    public static String describe(String pattern) {
        if (pattern == null) return "as the app is built";
        AntiPattern p = AntiPattern.find(pattern);
        return p != null ? p.words() : "the " + pattern + " pattern is switched on";
    }

    public static List<ClaimExplanation> explain(List<Claim> claims, Map<String, Tier> tiers, List<ClaimResult> results,
                                                 List<RunResult> runs, Map<String, ServerlessCalibration> calibrations,
                                                 ModelSettings s) {
        Map<String, RunResult> baselines = RunRoles.baselines(runs);
        List<ClaimExplanation> out = new ArrayList<>();
        for (Claim c : claims) {
            ClaimResult result = results.stream().filter(r -> r.id().equals(c.id())).findFirst().orElse(null);
            Tier tier = tiers.get(c.tier());
            if (tier == null || result == null) continue;
            out.add(explain(c, tier, result, baselines.get(c.id()), RunRoles.variants(c.id(), runs), calibrations, s));
        }
        return out;
    }

    static ClaimExplanation explain(Claim claim, Tier tier, ClaimResult result, RunResult baseline,
                                    Map<String, RunResult> variants, Map<String, ServerlessCalibration> cals, ModelSettings s) {
        List<String> findings = new ArrayList<>(), notes = new ArrayList<>();
        if (baseline == null) {
            findings.add("No baseline run measured " + claim.id() + ", so there is nothing to explain yet.");
            return new ClaimExplanation(claim.id(), claim.claimed().text(), null, findings, List.of(), List.of(), notes);
        }
        List<PatternEffect> effects = MeasuredEffects.effects(claim, tier, result, baseline, variants, s);
        findings.addAll(MeasuredEffects.findings(claim, effects));
        if (variants.isEmpty())
            notes.add("No anti-pattern was measured for " + claim.id() + " (no run " + claim.id() + "~<pattern>); only the "
                    + "modelled traffic and settings are searched.");
        ModelledConditions.Modelled modelled = ModelledConditions.explain(claim, tier, result, baseline, variants,
                cals.get(baseline.runId()), s);
        findings.addAll(modelled.findings());
        notes.addAll(modelled.notes());
        return new ClaimExplanation(claim.id(), claim.claimed().text(), baseline.runId(), findings, effects, modelled.conditions(), notes);
    }

    /** A scenario's parameters and the server connections that bypass the pooler. */
    public record Scenario(ServerlessParameters parameters, double extraServerConnections) {}

    /**
     * A pattern's parameters: the baseline's per-store rate, TTL and connection_limit with the variant
     * run's function time, connections per instance (not capped) and hold time; null when the variant
     * had no level with warm instances.
     */
    public static Scenario scenario(ServerlessParameters base, RunResult baseline, RunResult variant, ModelSettings s) {
        return ModelledConditions.scenario(base, baseline, variant, s);
    }

    /** 4 s, 90 s, 5 min, 15 min. */
    public static String duration(double seconds) {
        if (seconds >= 120 && Math.abs(seconds / 60 - Math.rint(seconds / 60)) < 1e-9) return Numbers.num(seconds / 60) + " min";
        return Numbers.num(seconds) + " s";
    }
}

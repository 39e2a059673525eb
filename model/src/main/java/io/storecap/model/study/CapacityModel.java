package io.storecap.model.study;

import io.storecap.model.Claim;
import io.storecap.model.ModelSettings;
import io.storecap.model.RunResult;
import io.storecap.model.RunRoles;
import io.storecap.model.Tier;
import io.storecap.model.TierCapacity;
import io.storecap.model.ValidationRow;
import io.storecap.model.capacity.ClaimEvaluator;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.capacity.TierCapacities;
import io.storecap.model.capacity.Validation;
import io.storecap.model.explain.ClaimExplanation;
import io.storecap.model.explain.Explanations;
import io.storecap.model.serverless.ServerlessCalibration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The model stage: composes the parts (records -> verdict rules -> fits -> capacity -> serverless ->
 * explain) into one {@link StudyModel}. Each claim is judged by {@link ClaimEvaluator}; tiers by
 * {@link TierCapacities}; serverless runs calibrated by {@link ServerlessCalibration}; explanations by
 * {@link Explanations}. Pure: no I/O, no clock.
 */
public final class CapacityModel {
    private CapacityModel() {}

    /**
     * Evaluates every claim (in the given order) against the runs. A claim's verdict comes from its
     * baseline run only ({@link RunRoles}: run id == claim id, no anti-pattern); its variant runs
     * ({@code <claimId>~<pattern>}) feed the explanation ({@link Explanations}).
     */
    public static StudyModel evaluate(List<Claim> claims, Map<String, Tier> tiers, List<RunResult> runs, ModelSettings settings) {
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(tiers, "tiers");
        Objects.requireNonNull(settings, "settings");
        runs = runs == null ? List.of() : runs;
        List<String> notes = new ArrayList<>();
        Map<String, RunResult> latest = RunRoles.baselines(runs);
        for (String id : latest.keySet()) {
            if (claims.stream().noneMatch(c -> c.id().equals(id)))
                notes.add("run " + latest.get(id).runId() + " (configuration '" + id + "') matches no claim; it is not used for a verdict");
        }
        Map<String, Long> counts = runs.stream().filter(RunRoles::isBaseline)
                .collect(Collectors.groupingBy(RunRoles::claimId, LinkedHashMap::new, Collectors.counting()));
        counts.forEach((id, n) -> {
            if (n > 1) notes.add(n + " runs of '" + id + "'; the latest (" + latest.get(id).runId() + ") is used");
        });
        List<ClaimResult> results = new ArrayList<>();
        List<ValidationRow> validation = new ArrayList<>();
        for (Claim c : claims) {
            Tier tier = tiers.get(c.tier());
            if (tier == null)
                throw new IllegalArgumentException("claim '" + c.id() + "' names tier '" + c.tier() + "', which is not in the tiers ("
                        + String.join(", ", tiers.keySet()) + ")");
            RunResult run = latest.get(c.id());
            results.add(ClaimEvaluator.evaluateClaim(c, tier, run, settings));
            if (run != null) validation.addAll(Validation.holdOut(c.id(), run, settings));
        }
        List<ServerlessCalibration> serverless = new ArrayList<>();
        Map<String, ServerlessCalibration> byRun = new LinkedHashMap<>();
        List<RunResult> latestRuns = RunRoles.latest(runs);
        for (RunResult r : latestRuns) {
            // jointly with the other runs of the same app and runtime: one set of measured parameters per app
            ServerlessCalibration c = ServerlessCalibration.calibrate(r, settings, latestRuns);
            if (c != null) { serverless.add(c); byRun.put(r.runId(), c); }
        }
        ModelClause.Result clause = ModelClause.addTo(results, claims, tiers, byRun);
        results = clause.claims();
        List<TierCapacity> capacities = ModelTierCapacities.of(TierCapacities.of(results, latest, tiers, settings), tiers, byRun);
        List<ClaimExplanation> explanations =
                Explanations.explain(claims, tiers, results, runs, byRun, settings);
        List<RuntimeVerdict> byRuntime = new ArrayList<>();
        for (Claim c : claims) {
            Map<String, RunResult> rs = RunRoles.byRuntime(c.id(), runs);
            if (rs.size() < 2 && rs.values().stream().allMatch(r -> r.config().runtime() == null)) continue;
            boolean first = true;
            for (Map.Entry<String, RunResult> e : rs.entrySet()) {
                ClaimResult r = ClaimEvaluator.evaluateClaim(c, tiers.get(c.tier()), e.getValue(), settings);
                byRuntime.add(new RuntimeVerdict(c.id(), e.getKey(), first, r, e.getValue().config().serviceOptions()));
                first = false;
            }
        }
        return new StudyModel(results, notes, validation, capacities, serverless, explanations, byRuntime, clause.agreements());
    }

}

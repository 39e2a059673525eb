package io.storecap.model.study;

import io.storecap.model.Claim;
import io.storecap.model.LevelResult;
import io.storecap.model.MeasuredKind;
import io.storecap.model.Numbers;
import io.storecap.model.Route;
import io.storecap.model.Tier;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.serverless.InstanceDynamics;
import io.storecap.model.serverless.ModelThreshold;
import io.storecap.model.serverless.ParameterBootstrap;
import io.storecap.model.serverless.ServerlessCalibration;
import io.storecap.model.serverless.ServerlessParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Adds the calibrated model to each direct claim's reason, in one clause: its threshold in
 * production (the number the tier table and the explanations quote), and whether it reproduces the
 * measured knee at the search's own conditions ({@link ModelAgreement}). One model, one number.
 */
final class ModelClause {
    private ModelClause() {}

    record Result(List<ClaimResult> claims, List<ModelAgreement> agreements) {}

    static Result addTo(List<ClaimResult> results, List<Claim> claims, Map<String, Tier> tiers, Map<String, ServerlessCalibration> byRun) {
        List<ClaimResult> out = new ArrayList<>();
        List<ModelAgreement> agreements = new ArrayList<>();
        for (ClaimResult r : results) {
            ServerlessCalibration cal = r.runId() == null ? null : byRun.get(r.runId());
            Tier tier = tiers.get(r.tier());
            if (cal == null || !cal.measured() || tier == null || r.route() != Route.DIRECT) { out.add(r); continue; }
            ModelThreshold prod = cal.threshold(tier, java.util.function.UnaryOperator.identity());
            ModelAgreement a = agreement(r, cal, tier, prod);
            if (a != null) agreements.add(a);
            String clause = " The calibrated model (" + describe(cal.parameters()) + ") puts " + tier.id() + "'s limit at "
                    + prod.text(ServerlessCalibration.MAX_STORES) + " stores in production (a busy hour's 95 % peak, idle TTL "
                    + Numbers.num(cal.parameters().idleTtlSeconds()) + " s)" + (a == null ? "." : agreementWords(a));
            out.add(new ClaimResult(r.id(), r.tier(), r.route(), r.claimed(), r.claimedText(), r.usableConnections(), r.measured(),
                    r.verdict(), r.reason() + clause, r.runId(), r.fit(), r.fits(), r.levels(), r.assumptions(), r.costPerStoreUsd()));
        }
        return new Result(out, agreements);
    }

    private static String agreementWords(ModelAgreement a) {
        String model = a.modelKnee() == null ? "beyond " + Numbers.stores((double) ServerlessCalibration.MAX_STORES)
                : Numbers.stores(a.modelKnee().doubleValue()) + " (95 % " + Numbers.stores(a.modelLow().doubleValue()) + "-"
                  + (a.modelHigh() == null ? "more" : Numbers.stores(a.modelHigh().doubleValue())) + ")";
        return "; at the search's own conditions (each level from an empty pool, its rate ramped over " + Numbers.num(a.rampSeconds())
                + " s, then " + Numbers.num(a.levelSeconds()) + " s, production time) it puts the knee at " + model + ", which "
                + (a.agrees() ? "agrees with" : "does NOT agree with") + " the measured knee"
                + (a.agrees() ? (a.stormBound() ? " (there the pool is set by the ramp's cold-start storm: every arrival before the first"
                        + " instance has started starts another, which production's gradual traffic does not do)." : ".")
                   : a.stormBound() ? ": at that load the level's pool is set by the ramp's cold-start storm (every arrival before the first"
                        + " instance has started starts another), which the model estimates from first principles and production's gradual"
                        + " traffic does not have; the production figure rests on the steady-state part, which ./storecap validate checks."
                   : ": the model's production figures are not to be trusted for this claim.");
    }

    /** The model's knee at the run's level conditions against the measured knee; null when there is no measured knee. */
    static ModelAgreement agreement(ClaimResult r, ServerlessCalibration cal, Tier tier, ModelThreshold prod) {
        if (r.measured() == null || r.measured().kind() != MeasuredKind.KNEE || r.measured().low() == null) return null;
        double seconds = cal.levelSeconds();
        if (!(seconds > 0)) return null;
        int limit = tier.usableConnections();
        ParameterBootstrap b = cal.bootstrap();
        double ramp = cal.rampSeconds();
        ParameterBootstrap.Estimate e = b.estimate(p -> kneeAt(p, limit, ramp, seconds));
        int max = ServerlessCalibration.MAX_STORES;
        Integer knee = e.value() >= max ? null : (int) Math.round(e.value());
        Integer low = (int) Math.round(e.low());
        Integer high = e.high() >= max ? null : (int) Math.round(e.high());
        double mLow = r.measured().low();
        double mHigh = r.measured().highOrInfinity();
        double kHigh = high == null ? Double.POSITIVE_INFINITY : high;
        boolean agrees = low <= mHigh && mLow <= kHigh;
        boolean storm = knee != null && InstanceDynamics.freshPoolPeak(knee * cal.parameters().requestsPerStorePerSecond(),
                cal.parameters(), ramp, seconds, 0.5) > InstanceDynamics.freshPoolPeak(knee * cal.parameters().requestsPerStorePerSecond(),
                cal.parameters(), 0, seconds, 0.5);
        return new ModelAgreement(r.id(), r.runId(), mLow, r.measured().high(), knee, low, high, agrees,
                prod.text(max), seconds, ramp, storm);
    }

    /** The largest store count whose level peak connections (floor + m x fresh-pool peak) fit the limit. */
    static double kneeAt(ServerlessParameters p, int limit, double ramp, double seconds) {
        int lo = 1, hi = ServerlessCalibration.MAX_STORES;
        if (!fits(p, lo, limit, ramp, seconds)) return 0;
        if (fits(p, hi, limit, ramp, seconds)) return hi;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (fits(p, mid, limit, ramp, seconds)) lo = mid; else hi = mid;
        }
        return lo;
    }

    private static boolean fits(ServerlessParameters p, int stores, int limit, double ramp, double seconds) {
        double lambda = stores * p.requestsPerStorePerSecond();
        return p.floorPeak() + p.connectionsPerInstance() * InstanceDynamics.freshPoolPeak(lambda, p, ramp, seconds, 0.5) <= limit;
    }

    static String describe(ServerlessParameters p) {
        return String.format(Locale.ROOT, "function time %s ms, cold start %s s, %s connections per instance, %s outside instances, %s dispatch",
                Numbers.num(1000 * p.functionSeconds()), Numbers.num(p.coldStartSeconds()), Numbers.num(p.connectionsPerInstance()),
                Numbers.num(p.floorPeak()), p.dispatch().id());
    }
}

package io.storecap.model.explain;

import io.storecap.model.Binding;
import io.storecap.model.Claim;
import io.storecap.model.LevelResult;
import io.storecap.model.Measured;
import io.storecap.model.ModelSettings;
import io.storecap.model.Numbers;
import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.capacity.ClaimEvaluator;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.verdict.Stair;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static io.storecap.model.explain.Explanations.describe;

/**
 * The measured half of an explanation: what an anti-pattern costs. The claim's rules
 * ({@link ClaimEvaluator#evaluateClaim}) applied to the variant run give the threshold with the pattern
 * on; the baseline run's gives it without. The gain of removing the pattern is the difference. Peak
 * server connections of both are compared at the largest store count both measured.
 */
final class MeasuredEffects {
    private MeasuredEffects() {}

    /** Each measured anti-pattern's effect: its variant run against the baseline run, in the variants' order. */
    static List<PatternEffect> effects(Claim claim, Tier tier, ClaimResult result, RunResult baseline,
                                       Map<String, RunResult> variants, ModelSettings s) {
        List<PatternEffect> effects = new ArrayList<>();
        for (Map.Entry<String, RunResult> v : variants.entrySet())
            effects.add(effect(claim, tier, result, baseline, v.getKey(), v.getValue(), s));
        return effects;
    }

    /** The effects in words: first the patterns that reproduce the claim, then the others. */
    static List<String> findings(Claim claim, List<PatternEffect> effects) {
        List<String> findings = new ArrayList<>();
        for (PatternEffect e : effects)
            if (inClaim(claim, e.withPattern().threshold(), e.withPattern().lowerBound()))
                findings.add("Measured: " + e.sentence() + " With the pattern the measured capacity lands in the plan's "
                        + claim.claimed().text() + " stores: this is a way the plan's number comes about.");
        for (PatternEffect e : effects)
            if (!inClaim(claim, e.withPattern().threshold(), e.withPattern().lowerBound())) findings.add("Measured: " + e.sentence());
        return findings;
    }

    static PatternEffect effect(Claim claim, Tier tier, ClaimResult baseResult, RunResult baseline, String pattern,
                                RunResult variant, ModelSettings s) {
        ClaimResult vr = ClaimEvaluator.evaluateClaim(claim, tier, variant, s);
        Integer at = commonLevel(baseline, variant, s);
        PatternEffect.Side with = side(vr, variant, at, s), without = side(baseResult, baseline, at, s);
        Double gain = with.threshold() == null || without.threshold() == null ? null : without.threshold() - with.threshold();
        String desc = describe(pattern);
        StringBuilder b = new StringBuilder();
        b.append("when ").append(desc).append(" (").append(pattern).append("), ").append(claim.id()).append(" holds ")
                .append(with.thresholdText()).append(" stores (").append(bindingWords(with.binding())).append("); without it ")
                .append(without.thresholdText()).append(" (").append(bindingWords(without.binding())).append(").");
        if (gain != null) {
            boolean atLeast = without.lowerBound() && !with.lowerBound();
            b.append(String.format(Locale.ROOT, " Removing it is worth %s%s stores.", atLeast ? "at least " : "",
                    gain >= 0 ? Numbers.stores(gain) : "minus " + Numbers.stores(-gain)));
        }
        if (at != null && with.peakConnections() != null && without.peakConnections() != null)
            b.append(String.format(Locale.ROOT, " At %d stores peak Postgres connections were %s with it and %s without.",
                    at, Numbers.num(with.peakConnections()), Numbers.num(without.peakConnections())));
        String sentence = Character.toUpperCase(b.charAt(0)) + b.substring(1);
        return new PatternEffect(pattern, desc, with, without, at, gain, without.lowerBound() && !with.lowerBound(), sentence);
    }

    /**
     * The store count both runs measured where their peaks say the most: the largest one at which both
     * levels were still good (a level at the limit is censored there); else the smallest shared one.
     */
    static Integer commonLevel(RunResult a, RunResult b, ModelSettings s) {
        TreeSet<Integer> common = stores(a.levels()), other = stores(b.levels());
        common.retainAll(other);
        if (common.isEmpty()) return null;
        TreeSet<Integer> good = stores(Stair.goodLevels(a, s));
        good.retainAll(stores(Stair.goodLevels(b, s)));
        good.retainAll(common);
        return good.isEmpty() ? common.first() : good.last();
    }

    private static TreeSet<Integer> stores(List<LevelResult> ls) {
        TreeSet<Integer> out = new TreeSet<>();
        for (LevelResult l : ls) out.add(l.stores());
        return out;
    }

    static PatternEffect.Side side(ClaimResult r, RunResult run, Integer at, ModelSettings s) {
        Measured m = r.measured() == null ? Measured.unknown(Binding.NO_RUN) : r.measured();
        LevelResult l = at == null ? null : run.levels().stream().filter(x -> x.stores() == at).findFirst().orElse(null);
        List<LevelResult> used = usable(run, s);
        Double perInstance = null, holdMs = null;
        if (!used.isEmpty()) {
            double conn = 0, warm = 0, active = 0, rate = 0;
            for (LevelResult x : used) {
                conn += appConnections(run, x);
                warm += x.warmInstances().mean();
                active += x.serverActive().mean();
                rate += x.achievedRps();
            }
            perInstance = warm > 0 ? conn / warm : null;
            holdMs = rate > 0 ? 1000 * active / rate : null;
        }
        long refusals = run.levels().stream().mapToLong(LevelResult::totalRefusals).sum();
        return new PatternEffect.Side(run.runId(), m.threshold(), m.low(), m.high(), m.binding(), m.lowerBound(), text(m),
                r.verdict().name(), l == null ? null : l.serverConnections().max(),
                l == null || run.config().route() != Route.POOLED ? null : l.poolerClients().max(), perInstance, holdMs, refusals);
    }

    /** Good levels with warm instances; when none, the first level with warm instances (a pattern may fail at once). */
    static List<LevelResult> usable(RunResult run, ModelSettings s) {
        List<LevelResult> good = new ArrayList<>();
        for (LevelResult l : Stair.goodLevels(run, s))
            if (l.warmInstances().mean() > 0 && l.achievedRps() > 0) good.add(l);
        if (!good.isEmpty()) return good;
        for (LevelResult l : run.levels())
            if (l.warmInstances().mean() > 0 && l.achievedRps() > 0) return List.of(l);
        return List.of();
    }

    private static double appConnections(RunResult run, LevelResult l) {
        return run.config().route() == Route.POOLED && l.poolerClients().samples() > 0 ? l.poolerClients().mean() : l.serverConnections().mean();
    }

    static boolean inClaim(Claim c, Double threshold, boolean lowerBound) {
        if (threshold == null) return false;
        if (c.claimed().openEnded()) return threshold >= c.claimed().min();
        return !lowerBound && threshold >= c.claimed().min() && threshold < c.claimed().max() + 1;
    }

    static String text(Measured m) {
        if (m.threshold() == null) return "an undetermined number of";
        if (m.lowerBound()) return "at least " + Numbers.stores(m.threshold());
        if (m.extrapolated()) return "about " + Numbers.stores(m.threshold());
        return Numbers.stores(m.threshold());
    }

    static String bindingWords(Binding b) {
        return b == null ? "no limit found" : b.limitedBy();
    }
}

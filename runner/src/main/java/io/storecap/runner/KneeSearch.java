package io.storecap.runner;

import io.storecap.model.verdict.LevelJudge.Outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The breakpoint search for one claim, on any system that can run a level at a given load and
 * judge it. Pure: the {@link Prober} runs the level.
 * <ol>
 *   <li><b>ramp</b>: start inside the claimed range and raise the load geometrically, by
 *       0.8 / margin (the nearest constraint's share of its limit) clamped to
 *       [{@code rampMin}, {@code rampMax}], until a level fails, the machine saturates or
 *       {@code maxStores} is reached; when the machine saturates, bisect between the last level
 *       that held and it until they are within {@code rampMin}, so the lower bound is as high as
 *       this machine can show;</li>
 *   <li><b>down</b>: when the first level that counted failed, lower the load by {@code rampMin}
 *       until one holds;</li>
 *   <li><b>bisect</b> in log-load between the highest holding and the lowest failing load until
 *       their ratio is at most {@code bracketRatio};</li>
 *   <li><b>replicate</b> both ends of the bracket with fresh seeds until each was measured
 *       {@code replicates} times (the bracket's own levels count once); an end whose replicates
 *       disagree (a failure at the low end, a pass at the high end) moves out by the bracket ratio
 *       and is measured {@code replicates} times again, at most twice.</li>
 * </ol>
 * The knee and its interval are then fitted on every level (the model's KneeFit); the search only
 * decides where to measure.
 */
public final class KneeSearch {

    public record Settings(double rampMin, double rampMax, double bracketRatio, int replicates, double maxStores, int maxLevels) {
        public Settings {
            if (!(rampMin > 1) || rampMax < rampMin) throw new IllegalArgumentException("ramp factors must satisfy 1 < rampMin <= rampMax");
            if (!(bracketRatio > 1)) throw new IllegalArgumentException("bracketRatio must be > 1, was " + bracketRatio);
            if (replicates < 1) throw new IllegalArgumentException("replicates must be >= 1, was " + replicates);
            if (maxLevels < 2) throw new IllegalArgumentException("maxLevels must be >= 2, was " + maxLevels);
        }
    }

    /** What one level showed: its outcome, the load it really carried (stores), and its margin. */
    public record Result(Outcome outcome, double load, double margin) {}

    /** Runs one level at {@code stores} (the search's label) in a phase; {@code replicate} is 1 for the first time at that load. */
    @FunctionalInterface
    public interface Prober {
        Result probe(int stores, String phase, int replicate);
    }

    /** One level the search ran. */
    public record Step(String phase, int stores, Result result) {}

    /** How the search ended. */
    public enum End { BRACKET, LOWER_BOUND, MACHINE_LIMITED, INCONCLUSIVE }

    /** The search's end, its bracket (lo may be null, hi null for bounds), why, and every step. */
    public record Ending(End end, Integer lo, Integer hi, String why, List<Step> steps) {}

    private final Settings s;
    private final List<Step> steps = new ArrayList<>();

    public KneeSearch(Settings s) { this.s = s; }

    public Ending run(int start, Prober prober) {
        Integer lo = null, hi = null;
        int x = Math.max(1, start);
        // ramp
        while (true) {
            if (steps.size() >= s.maxLevels()) return end(End.INCONCLUSIVE, lo, hi, "the level budget (" + s.maxLevels() + ") ran out while ramping");
            Result r = probe(prober, x, "ramp", 1);
            if (r.outcome() == Outcome.MACHINE) {
                // narrow the machine's bracket to rampMin: the ramp may have jumped far past what it can drive
                int machine = x;
                while (lo != null && (double) machine / lo > s.rampMin() && steps.size() < s.maxLevels()) {
                    int m = (int) Math.round(Math.sqrt((double) lo * machine));
                    Result q = probe(prober, m, "machine", 1);
                    if (q.outcome() == Outcome.HOLDS) lo = m;
                    else if (q.outcome() == Outcome.MACHINE) machine = m;
                    else if (q.outcome() == Outcome.FAILS) { // a tier limit below the machine's: a knee after all
                        hi = m;
                        break;
                    } else break;
                }
                if (hi == null) return end(End.MACHINE_LIMITED, lo, null, "the test machine saturated at " + machine + " stores");
                break;
            }
            if (r.outcome() == Outcome.FAILS) {
                hi = x;
                break;
            }
            if (r.outcome() == Outcome.HOLDS) lo = x;
            if (x >= s.maxStores()) return end(lo == null ? End.INCONCLUSIVE : End.LOWER_BOUND, lo, null,
                    "nothing bound up to " + x + " stores, the search's ceiling");
            double factor = r.margin() > 0 ? Math.max(s.rampMin(), Math.min(s.rampMax(), 0.8 / r.margin())) : s.rampMax();
            x = (int) Math.min(s.maxStores(), Math.max(x + 1, Math.round(x * factor)));
        }
        // down, when nothing below the failure held
        while (lo == null) {
            if (steps.size() >= s.maxLevels()) return end(End.INCONCLUSIVE, null, hi, "the level budget ran out going down");
            int down = (int) Math.floor(hi / s.rampMin());
            if (down < 1) return end(End.INCONCLUSIVE, null, hi, "even 1 store failed");
            Result r = probe(prober, down, "down", 1);
            if (r.outcome() == Outcome.FAILS) hi = down;
            else if (r.outcome() == Outcome.HOLDS) lo = down;
            else return end(End.INCONCLUSIVE, null, hi, r.outcome() == Outcome.MACHINE ? "the machine saturated below the failure"
                    : "below " + hi + " stores a level carries too few requests to show that it holds");
        }
        // bisect in log-load
        while ((double) hi / lo > s.bracketRatio() && hi - lo > 1) {
            if (steps.size() >= s.maxLevels()) return end(End.BRACKET, lo, hi, "the level budget ran out while bisecting");
            int m = (int) Math.round(Math.sqrt((double) lo * hi));
            if (m <= lo || m >= hi) break;
            Result r = probe(prober, m, "bisect", 1);
            if (r.outcome() == Outcome.HOLDS) lo = m;
            else if (r.outcome() == Outcome.FAILS) hi = m;
            else if (r.outcome() == Outcome.MACHINE) return end(End.MACHINE_LIMITED, lo, null, "the test machine saturated at " + m + " stores");
            else return end(End.BRACKET, lo, hi, "a level at " + m + " stores carried too few requests to decide");
        }
        // replicate both ends with fresh seeds; an end whose replicates disagree moves out by the
        // bracket ratio and is replicated again (twice at most), so each end is clean when it can be
        boolean loClean = true, hiClean = true;
        for (int rep = 2; rep <= s.replicates(); rep++) {
            loClean &= probe(prober, lo, "replicate", rep).outcome() == Outcome.HOLDS;
            hiClean &= probe(prober, hi, "replicate", rep).outcome() == Outcome.FAILS;
        }
        for (int round = 0; round < 2 && (!loClean || !hiClean) && steps.size() + 2 * s.replicates() <= s.maxLevels(); round++) {
            if (!loClean) {
                lo = Math.max(1, (int) Math.floor(lo / s.bracketRatio()));
                loClean = true;
                for (int rep = 1; rep <= s.replicates(); rep++) loClean &= probe(prober, lo, "replicate", rep).outcome() == Outcome.HOLDS;
            }
            if (!hiClean) {
                hi = (int) Math.ceil(hi * s.bracketRatio());
                hiClean = true;
                for (int rep = 1; rep <= s.replicates(); rep++) hiClean &= probe(prober, hi, "replicate", rep).outcome() == Outcome.FAILS;
            }
        }
        return end(End.BRACKET, lo, hi, String.format(Locale.ROOT, "bracket %d-%d stores (ratio %.3f), each end measured %d times",
                lo, hi, (double) hi / lo, s.replicates()));
    }

    private Result probe(Prober p, int stores, String phase, int rep) {
        Result r = p.probe(stores, phase, rep);
        steps.add(new Step(phase, stores, r));
        return r;
    }

    private Ending end(End e, Integer lo, Integer hi, String why) { return new Ending(e, lo, hi, why, List.copyOf(steps)); }
}

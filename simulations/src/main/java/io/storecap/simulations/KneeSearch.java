package io.storecap.simulations;

import io.storecap.model.LevelJudge.Outcome;

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
 *       {@code maxStores} is reached;</li>
 *   <li><b>down</b>: when the first level that counted failed, lower the load by {@code rampMax}
 *       until one holds;</li>
 *   <li><b>bisect</b> in log-load between the highest holding and the lowest failing load until
 *       their ratio is at most {@code bracketRatio};</li>
 *   <li><b>replicate</b> both ends of the bracket with fresh seeds until each was measured
 *       {@code replicates} times (the bracket's own levels count once).</li>
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
            if (r.outcome() == Outcome.MACHINE) return end(End.MACHINE_LIMITED, lo, null, "the test machine saturated at " + x + " stores");
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
            int down = (int) Math.floor(hi / s.rampMax());
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
        // replicate both ends with fresh seeds
        for (int rep = 2; rep <= s.replicates(); rep++) {
            probe(prober, lo, "replicate", rep);
            probe(prober, hi, "replicate", rep);
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

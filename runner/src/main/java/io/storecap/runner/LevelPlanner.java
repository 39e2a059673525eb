package io.storecap.runner;

import io.storecap.model.TrafficProfile;
import io.storecap.model.verdict.LevelJudge;
import io.storecap.simulations.LevelPlan;

import java.util.List;

/**
 * Sizes a search level by the information it must carry, not by seconds. For a store count with
 * production arrival rate L (the profile's per-store rates):
 * <pre>
 *   k       = clamp(L / targetRps, minTimeScale, maxTimeScale)     the level's time scale
 *   rate    = L / k                                                what the injector sends
 *   settle  = max(2 s, 4 x cold start x k)                          the rate ramps from 0 to its level
 *                                                                   (left out of every statistic)
 *   measure = clamp(1.25 x 299 / rate, min, max)                    long enough for 299 requests
 * </pre>
 * The 25 % margin over 299 covers Poisson shortfall (three standard deviations at that count). A
 * level whose 299 requests would take longer than the longest level is a scout of the shortest
 * length instead. The settle part ramps the rate up, as traffic does, so the instance pool grows by
 * need: a level that started at full rate on an empty pool would open with a storm of cold starts
 * that production never sees at that load.
 */
public final class LevelPlanner {
    private final SearchSettings s;
    private final TrafficProfile profile;
    private final double coldStartSeconds;

    public LevelPlanner(SearchSettings s, TrafficProfile profile, double coldStartMs) {
        this.s = s;
        this.profile = profile;
        this.coldStartSeconds = coldStartMs / 1000;
    }

    public double timeScale(int stores) {
        double rate = profile.totalRps(stores);
        return Math.max(s.minTimeScale(), Math.min(s.maxTimeScale(), rate / s.targetRps()));
    }

    /** The settle level and the measured level for one probe. */
    public List<LevelPlan> plan(int stores, String phase, long seed) { return plan(stores, phase, seed, false); }

    /**
     * The same; a {@code target} level (a store count the plan's targets name) is never a short
     * scout: it runs up to the longest level, so its percentiles rest on as many requests as can be had.
     */
    public List<LevelPlan> plan(int stores, String phase, long seed, boolean target) {
        double k = timeScale(stores);
        double rate = profile.totalRps(stores) / k;
        double settle = Math.max(2, 4 * coldStartSeconds * k);
        double needed = 1.25 * LevelJudge.MIN_REQUESTS_TO_HOLD / Math.max(rate, 1e-9);
        // a level that cannot reach its requests within the longest level is a short scout: it can
        // still fail clearly (refusals), but it will not count as holding however long it runs
        double measure = needed > s.maxLevelSeconds() ? (target ? s.maxLevelSeconds() : s.minLevelSeconds())
                : Math.max(s.minLevelSeconds(), Math.min(s.maxLevelSeconds(), needed));
        return List.of(new LevelPlan(stores, settle, k, seed, "settle"), new LevelPlan(stores, measure, k, seed + 1, phase));
    }

    /** Whether a level's rate ramps up from 0 (the settle part of a probe). */
    static boolean ramps(LevelPlan p) { return p.phase().equals("settle");
    }

    /** Emulated seconds one probe at this load takes (settle and measure). */
    public double seconds(int stores) {
        return plan(stores, "ramp", 0).stream().mapToDouble(LevelPlan::seconds).sum();
    }
}

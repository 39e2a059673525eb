package io.storecap.simulations;

import io.storecap.model.LevelJudge;

import java.util.List;

/**
 * Sizes a search level by the information it must carry, not by seconds. For a store count with
 * production arrival rate L (the profile's per-store rates):
 * <pre>
 *   k       = clamp(L / targetRps, minTimeScale, maxTimeScale)     the level's time scale
 *   rate    = L / k                                                what the injector sends
 *   settle  = 3 x TTL + cold start x k  (at least 2 s)              left out of every statistic
 *   measure = clamp(max(1.25 x 299 / rate, 10 x TTL), min, max)     long enough for 299 requests
 *                                                                   and ten idle TTLs of telemetry
 * </pre>
 * (TTL in emulated seconds, held at every level.) A level whose 299 requests would take longer
 * than the longest level is a scout of the shortest length instead.
 * The 25 % margin over 299 covers Poisson shortfall (three standard deviations at that count).
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
    public List<LevelPlan> plan(int stores, String phase, long seed) {
        double k = timeScale(stores);
        double rate = profile.totalRps(stores) / k;
        double ttl = s.idleTtlSeconds(); // held in emulated seconds (SearchSettings)
        double settle = Math.max(2, 3 * ttl + coldStartSeconds * k);
        double needed = 1.25 * LevelJudge.MIN_REQUESTS_TO_HOLD / Math.max(rate, 1e-9);
        // a level that cannot reach its requests within the longest level is a short scout: it can
        // still fail clearly (refusals), but it will not count as holding however long it runs
        double measure = needed > s.maxLevelSeconds() ? s.minLevelSeconds()
                : Math.max(s.minLevelSeconds(), Math.min(s.maxLevelSeconds(), Math.max(needed, 10 * ttl)));
        return List.of(new LevelPlan(stores, settle, k, seed, "settle"), new LevelPlan(stores, measure, k, seed + 1, phase));
    }

    /** Emulated seconds one probe at this load takes (settle and measure). */
    public double seconds(int stores) {
        return plan(stores, "ramp", 0).stream().mapToDouble(LevelPlan::seconds).sum();
    }
}

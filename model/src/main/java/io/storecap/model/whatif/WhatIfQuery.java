package io.storecap.model.whatif;

import io.storecap.model.Route;
import io.storecap.model.TrafficProfile;

import java.util.Map;
import java.util.Objects;

/**
 * A question to the calibrated model: "on tier T through route R, with N stores, what happens?"
 * Settings left null are as the calibrating run measured them.
 *
 * @param tier            tier id (from the tiers file)
 * @param route           direct or pooled
 * @param stores          store count
 * @param rateMultiplier  per-store peak rate relative to the runs' profile (1 = as measured)
 * @param profile         a traffic profile (profile.yaml) whose per-store rate replaces the runs';
 *                        null to keep theirs. Combined with {@code rateMultiplier} by multiplication
 * @param idleTtlSeconds  idle TTL of a function instance; null = the run's
 * @param connectionLimit Prisma's connection_limit; null = the run's
 * @param pattern         an anti-pattern measured by a variant run, or null / "none"
 * @param windowSeconds   the span peaks are taken over; null = the run's sampled level window (so the
 *                        answer is comparable with its measurements)
 */
public record WhatIfQuery(String tier, Route route, int stores, double rateMultiplier, TrafficProfile profile,
                          Double idleTtlSeconds, Integer connectionLimit, String pattern, Double windowSeconds) {
    public WhatIfQuery {
        Objects.requireNonNull(tier, "tier: give a tier id from tiers.yaml, e.g. --tier free");
        Objects.requireNonNull(route, "route: give direct or pooled, e.g. --route pooled");
        if (stores < 1) throw new IllegalArgumentException("stores is " + stores + "; give a store count of 1 or more, e.g. --stores 700");
        if (!(rateMultiplier > 0)) throw new IllegalArgumentException("the rate multiplier is " + rateMultiplier + "; it must be above 0 (1 = the profile's rate)");
        if (idleTtlSeconds != null && !(idleTtlSeconds >= 0))
            throw new IllegalArgumentException("the idle TTL is " + idleTtlSeconds + " s; it must be 0 or more, e.g. --ttl 5m");
        if (connectionLimit != null && connectionLimit < 1)
            throw new IllegalArgumentException("connection_limit is " + connectionLimit + "; it must be 1 or more, e.g. --connection-limit 5");
        if (windowSeconds != null && !(windowSeconds > 0))
            throw new IllegalArgumentException("the peak window is " + windowSeconds + " s; it must be above 0, e.g. --window 1h");
        if (pattern != null && (pattern.isBlank() || pattern.equalsIgnoreCase("none"))) pattern = null;
    }

    /** The runs' own settings at a store count. */
    public static WhatIfQuery of(String tier, Route route, int stores) {
        return new WhatIfQuery(tier, route, stores, 1, null, null, null, null, null);
    }

    public WhatIfQuery withStores(int n) { return new WhatIfQuery(tier, route, n, rateMultiplier, profile, idleTtlSeconds, connectionLimit, pattern, windowSeconds); }

    public WhatIfQuery withRateMultiplier(double m) { return new WhatIfQuery(tier, route, stores, m, profile, idleTtlSeconds, connectionLimit, pattern, windowSeconds); }

    public WhatIfQuery withProfile(TrafficProfile p) { return new WhatIfQuery(tier, route, stores, rateMultiplier, p, idleTtlSeconds, connectionLimit, pattern, windowSeconds); }

    public WhatIfQuery withIdleTtlSeconds(Double t) { return new WhatIfQuery(tier, route, stores, rateMultiplier, profile, t, connectionLimit, pattern, windowSeconds); }

    public WhatIfQuery withConnectionLimit(Integer l) { return new WhatIfQuery(tier, route, stores, rateMultiplier, profile, idleTtlSeconds, l, pattern, windowSeconds); }

    public WhatIfQuery withPattern(String p) { return new WhatIfQuery(tier, route, stores, rateMultiplier, profile, idleTtlSeconds, connectionLimit, p, windowSeconds); }

    public WhatIfQuery withWindowSeconds(Double w) { return new WhatIfQuery(tier, route, stores, rateMultiplier, profile, idleTtlSeconds, connectionLimit, pattern, w); }
}

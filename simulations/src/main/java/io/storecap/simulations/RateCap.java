package io.storecap.simulations;

import io.storecap.model.TrafficProfile;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hard cap on the request rate a run may send to someone's deployment
 * ({@code -Dstorecap.maxRps}): a plan whose mean rate passes it is refused before anything is sent
 * ({@link #check}), and no wall-clock second carries more requests than the cap ({@link #admit}:
 * a request over it is not sent; a webhook attempt then counts as failed and is retried on
 * Shopify's schedule). The search keeps its loads far enough below the cap that Poisson peaks
 * rarely meet it; {@link #capped()} says how often they did.
 */
final class RateCap {
    /** The system property that sets the cap, in requests a second. */
    static final String PROPERTY = "storecap.maxRps";

    private final int perSecond;
    private final AtomicLong capped = new AtomicLong();
    private long second = -1;
    private int used;

    RateCap(double maxRps) {
        if (!(maxRps >= 1)) throw new IllegalArgumentException(PROPERTY + " must be at least 1 request a second, was " + maxRps);
        this.perSecond = (int) Math.floor(maxRps);
    }

    /** The cap a property value sets; null (no cap) when it is absent. */
    static RateCap of(String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return new RateCap(Double.parseDouble(value.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + " must be a number of requests a second, was '" + value + "'");
        }
    }

    int perSecond() { return perSecond; }

    /** Whether a request may go now: fewer than the cap went in this wall-clock second. */
    synchronized boolean admit(long nowMs) {
        long s = nowMs / 1000;
        if (s != second) {
            second = s;
            used = 0;
        }
        if (used >= perSecond) {
            capped.incrementAndGet();
            return false;
        }
        used++;
        return true;
    }

    /** Requests not sent because their second was full. */
    long capped() { return capped.get(); }

    /** Refuses a plan with a level whose mean rate (the profile's at its store count, over its time scale) passes the cap. */
    void check(List<LevelPlan> plan, TrafficProfile profile) {
        for (LevelPlan p : plan) {
            double rps = profile.totalRps(p.stores()) / p.timeScale();
            if (rps > perSecond)
                throw new IllegalArgumentException(String.format(Locale.ROOT, "the level at %d stores would send %.1f requests a second,"
                        + " more than the cap of %d (%s): nothing was sent; lower the load or raise --max-rps", p.stores(), rps, perSecond, PROPERTY));
        }
    }
}

package io.storecap.model.validation;

import java.util.ArrayList;
import java.util.List;

/**
 * One case of {@code ./storecap validate}: a fixed load held at one idle TTL long enough for the
 * function pool to reach steady state, measured after the model's prediction for it was frozen.
 * Durations are production seconds; the harness runs them at time scale {@code timeScale}.
 *
 * @param id             e.g. "ttl-64s"
 * @param stores         the fixed load
 * @param idleTtlSeconds the idle TTL of function instances
 * @param rampSeconds    the rate rises linearly from 0 over this long (the pool grows by need)
 * @param plateauSeconds then holds at the full rate, unmeasured, so instances of the ramp age out
 * @param measureSeconds then the measured window
 * @param timeScale      k: every emulated duration is k times its production value
 */
public record ValidationCase(String id, int stores, double idleTtlSeconds, double rampSeconds, double plateauSeconds,
                             double measureSeconds, double timeScale) {
    public ValidationCase {
        if (stores < 1) throw new IllegalArgumentException("stores must be >= 1");
        if (!(idleTtlSeconds > 0 && rampSeconds > 0 && plateauSeconds >= 0 && measureSeconds > 0 && timeScale > 0))
            throw new IllegalArgumentException("durations and the time scale must be positive");
    }

    /** Production seconds before the measured window. */
    public double warmupSeconds() { return rampSeconds + plateauSeconds; }

    /** Emulated wall seconds the case takes. */
    public double wallSeconds() { return (warmupSeconds() + measureSeconds) * timeScale; }

    /**
     * The TTL ladder at a fixed load: each TTL held for a warm-up of two TTLs after a one-minute
     * ramp (so the pool of the ramp ages out) and measured for two TTLs, at least two minutes.
     *
     * @param ttls the idle TTLs, production seconds (e.g. 4, 16, 64, 256)
     */
    public static List<ValidationCase> ladder(int stores, double[] ttls, double timeScale) {
        List<ValidationCase> out = new ArrayList<>();
        for (double ttl : ttls)
            out.add(new ValidationCase("ttl-" + io.storecap.model.Numbers.num(ttl) + "s", stores, ttl, 60, 2 * ttl,
                    Math.max(120, 2 * ttl), timeScale));
        return out;
    }
}

package io.storecap.model;

/**
 * The limits a level is judged against, and when a level is the test machine's fault.
 *
 * @param p95SloMs           a level fails when its p95 latency exceeds this (the plan's alert: 500 ms)
 * @param maxErrorRate       a level fails when more than this share of requests failed (the plan: 1 %)
 * @param minInjectionRatio  below this achieved/target arrival rate the injector fell behind: the level
 *                           did not get the load it is labelled with, so it is the test machine's limit
 * @param cpuSaturation      at or above this mean CPU over a level the machine itself was saturated;
 *                           the mean, not the max, because a single 100 % sample (JIT, GC) does not
 *                           distort a level while a level-long saturation queues every process on the
 *                           machine (injector, service, Postgres) and inflates latency and hold times
 * @param searchFactor       crossings of the connection limit are sought up to this multiple of the top
 *                           level tested; beyond it the limit is reported as not found
 * @param maxWebhookDelayMs  a level fails when queued webhooks waited longer than this at the 99th
 *                           percentile from acknowledgement to processing (the plan: "webhook
 *                           processing &lt; 5 s (queued)"); levels without queued webhooks are not judged
 */
public record ModelSettings(double p95SloMs, double maxErrorRate, double minInjectionRatio, double cpuSaturation,
                            double searchFactor, double maxWebhookDelayMs) {
    public ModelSettings {
        if (!(p95SloMs > 0)) throw new IllegalArgumentException("p95SloMs must be > 0, was " + p95SloMs);
        if (!(maxErrorRate >= 0 && maxErrorRate < 1)) throw new IllegalArgumentException("maxErrorRate must be in [0, 1), was " + maxErrorRate);
        if (!(minInjectionRatio > 0 && minInjectionRatio <= 1))
            throw new IllegalArgumentException("minInjectionRatio must be in (0, 1], was " + minInjectionRatio);
        if (!(cpuSaturation > 0 && cpuSaturation <= 1)) throw new IllegalArgumentException("cpuSaturation must be in (0, 1], was " + cpuSaturation);
        if (!(searchFactor > 1)) throw new IllegalArgumentException("searchFactor must be > 1, was " + searchFactor);
        if (!(maxWebhookDelayMs > 0)) throw new IllegalArgumentException("maxWebhookDelayMs must be > 0, was " + maxWebhookDelayMs);
    }

    /** Settings without a webhook-delay limit of their own: the plan's 5 s. */
    public ModelSettings(double p95SloMs, double maxErrorRate, double minInjectionRatio, double cpuSaturation, double searchFactor) {
        this(p95SloMs, maxErrorRate, minInjectionRatio, cpuSaturation, searchFactor, DEFAULT_MAX_WEBHOOK_DELAY_MS);
    }

    /** The plan's "webhook processing &lt; 5 s (queued)". */
    public static final double DEFAULT_MAX_WEBHOOK_DELAY_MS = 5000;

    public static ModelSettings defaults() { return new ModelSettings(500, 0.01, 0.95, 0.95, 1000, DEFAULT_MAX_WEBHOOK_DELAY_MS); }

    public ModelSettings withP95SloMs(double v) { return new ModelSettings(v, maxErrorRate, minInjectionRatio, cpuSaturation, searchFactor, maxWebhookDelayMs); }

    public ModelSettings withMaxErrorRate(double v) { return new ModelSettings(p95SloMs, v, minInjectionRatio, cpuSaturation, searchFactor, maxWebhookDelayMs); }

    public ModelSettings withMinInjectionRatio(double v) { return new ModelSettings(p95SloMs, maxErrorRate, v, cpuSaturation, searchFactor, maxWebhookDelayMs); }

    public ModelSettings withMaxWebhookDelayMs(double v) { return new ModelSettings(p95SloMs, maxErrorRate, minInjectionRatio, cpuSaturation, searchFactor, v); }

    public ModelSettings withCpuSaturation(double v) { return new ModelSettings(p95SloMs, maxErrorRate, minInjectionRatio, v, searchFactor, maxWebhookDelayMs); }
}

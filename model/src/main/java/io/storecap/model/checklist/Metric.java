package io.storecap.model.checklist;

import java.util.Locale;

/**
 * What a checklist comparison measures, its unit, which way is better, and the band around zero
 * within which an effect is negligible: an effect is negligible when its whole 95 % interval lies
 * inside the band. The bands are stated here, once, and printed with every comparison.
 */
public enum Metric {
    /** p95 response time of the requests a step is about, production-equivalent ms. */
    P95_MS("p95", "ms", true, 10, 0.10),
    /** p99 of the webhook requests: how long Shopify waits for the acknowledgement. */
    ACK_P99_MS("acknowledgement p99", "ms", true, 10, 0.10),
    /** p99 of the time from a webhook's acknowledgement to its effect being written. */
    DELAY_P99_MS("processing delay p99", "ms", true, 50, 0.10),
    /** Share of requests that failed. */
    ERROR_RATE("error rate", "share", true, 0.005, 0),
    /** The most Postgres connections of the app over the measured level (what the plan's alert reads). */
    CONNECTIONS("peak Postgres connections", "connections", true, 2, 0.10),
    /** The app's Postgres connections averaged over the measured level's samples: what a step saves in steady state. */
    MEAN_CONNECTIONS("mean Postgres connections", "connections", true, 1, 0.10),
    /** Connections one request held at once: a dashboard load's fan-out. */
    CONNECTIONS_PER_LOAD("connections one load holds", "connections", true, 0.5, 0),
    /** Postgres CPU (the postmaster and its backends) per request served. */
    CPU_MS_PER_REQUEST("Postgres CPU per request", "ms", true, 0.02, 0.10),
    /** Webhooks acknowledged but never stored. */
    LOST("webhooks lost", "webhooks", true, 0, 0),
    /** The highest store count the step's configuration held in the levels measured. */
    CAPACITY_STORES("capacity (highest level held)", "stores", false, 0, 0.10);

    public final String words;
    public final String unit;
    public final boolean lowerIsBetter;
    /** the band's floor, in the metric's unit */
    public final double bandFloor;
    /** the band's share of the off value, when that is larger */
    public final double bandShare;

    Metric(String words, String unit, boolean lowerIsBetter, double bandFloor, double bandShare) {
        this.words = words;
        this.unit = unit;
        this.lowerIsBetter = lowerIsBetter;
        this.bandFloor = bandFloor;
        this.bandShare = bandShare;
    }

    public String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    /** Half-width of the negligible band around zero, given the value with the step off. */
    public double band(double offValue) { return Math.max(bandFloor, bandShare * Math.abs(offValue)); }

    /** The band in words, e.g. "±10 ms or ±10 % of off, the larger" (off: the value without the step). */
    public String bandWords() {
        String floor = unit.equals("share") ? Math.round(bandFloor * 1000) / 10.0 + " percentage points" : bandFloor + " " + unit;
        floor = floor.replace(".0 ", " ");
        if (bandShare <= 0) return "±" + floor;
        return "±" + floor + " or ±" + Math.round(bandShare * 100) + " % of off, the larger";
    }
}

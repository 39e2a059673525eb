package io.storecap.reports.gates;

import io.storecap.reports.Fmt;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Observed numbers a metric gate can limit, with where summary.json keeps them. */
public enum Metric {
    P95_MS("p95_ms", true, "ms"),
    P99_MS("p99_ms", true, "ms"),
    MEAN_MS("mean_ms", true, "ms"),
    ERROR_RATE("error_rate", true, "fraction"),
    CONNECTIONS("connections", true, "connections"),
    POOLER_CLIENTS("pooler_clients", true, "clients"),
    REFUSALS("refusals", true, "refusals"),
    WEBHOOK_LOST("webhook_lost", false, "webhooks"),
    WEBHOOK_DUPLICATED("webhook_duplicated", false, "webhooks");

    public final String id;
    /** Per level of a run (takes at_stores); otherwise one number per run. */
    public final boolean perLevel;
    public final String unit;

    Metric(String id, boolean perLevel, String unit) {
        this.id = id;
        this.perLevel = perLevel;
        this.unit = unit;
    }

    public static Metric parse(String s) {
        for (Metric m : values()) if (m.id.equalsIgnoreCase(s == null ? "" : s.trim())) return m;
        return null;
    }

    public static String ids() { return Arrays.stream(values()).map(m -> m.id).collect(Collectors.joining(", ")); }

    /** Whether the kind: field applies (per request kind statistics exist for it). */
    public boolean byKind() { return this == P95_MS || this == P99_MS || this == MEAN_MS || this == ERROR_RATE; }

    public String format(double v) {
        return switch (unit) {
            case "ms" -> Fmt.ms(v);
            case "fraction" -> Fmt.pct(v);
            default -> Fmt.num(Math.round(v * 100) / 100.0) + " " + unit;
        };
    }

    public String formatLimit(double v) {
        return "fraction".equals(unit) ? Fmt.pct(v) : format(v);
    }

    @Override
    public String toString() { return id.toLowerCase(Locale.ROOT); }
}

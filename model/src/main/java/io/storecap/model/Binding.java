package io.storecap.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/**
 * The one catalogue of what can set (or stop) a measured capacity: the constraint that bound, or why
 * nothing did. Its {@link #id()} is what run.json, the model's JSON and summary.json carry; the words
 * are what the verdict table ({@link #label()}) and the explanations ({@link #limitedBy()}) say.
 */
public enum Binding {
    CONNECTIONS("connections", "Postgres connections", "limited by Postgres connections"),
    REFUSALS("refusals", "refused connections", "Postgres refused connections above it"),
    ERRORS("errors", "error rate", "limited by the error rate"),
    P95("p95", "p95 response time", "limited by p95 response time"),
    POOLER_CLIENTS("pooler-clients", "PgBouncer max_client_conn", "limited by PgBouncer's max_client_conn"),
    WEBHOOK_DELAY("webhook-delay", "webhook processing time", "limited by queued webhook delay"),
    POOL_TIMEOUT("pool-timeout", "pool timeouts (P2024)", "limited by pool timeouts (P2024)"),
    /** A fixed stair's top level held: nothing bound within the loads tested. */
    STAIR_TOP("stair-top", "none within the loads searched", "nothing failed up to the top level tested"),
    /** A search's top level held: nothing bound within the loads searched. */
    SEARCH_TOP("search-top", "none within the loads searched", "nothing failed up to the top level tested"),
    INSUFFICIENT("insufficient", "too few requests to decide", "not measured"),
    /** The test machine (injector, CPU, PgBouncer's thread) saturated before the tier did. */
    TEST_MACHINE("test-machine", "the test machine (not the tier)", "the test machine saturated first"),
    NO_RUN("no-run", "not measured", "not measured");

    private final String id;
    private final String label;
    private final String limitedBy;

    Binding(String id, String label, String limitedBy) {
        this.id = id;
        this.label = label;
        this.limitedBy = limitedBy;
    }

    /** The identifier in JSON files and gate rules. */
    @JsonValue
    public String id() { return id; }

    /** The constraint in words a founder reads ("Postgres connections"). */
    public String label() { return label; }

    /** "limited by ..." as the explanations say it. */
    public String limitedBy() { return limitedBy; }

    /** True for the constraints a tier can run out of (not "nothing bound" or "not measured"). */
    public boolean isLimit() {
        return switch (this) {
            case STAIR_TOP, SEARCH_TOP, INSUFFICIENT, TEST_MACHINE, NO_RUN -> false;
            default -> true;
        };
    }

    /**
     * The binding with this id (also the older names "clients", "client-connections" and "webhooks"
     * that earlier summaries carry); null for null.
     *
     * @throws IllegalArgumentException naming the id and the known ones
     */
    @JsonCreator
    public static Binding of(String id) {
        if (id == null) return null;
        String s = id.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "clients", "client-connections" -> { return POOLER_CLIENTS; }
            case "webhooks" -> { return WEBHOOK_DELAY; }
            default -> { }
        }
        for (Binding b : values()) if (b.id.equals(s)) return b;
        throw new IllegalArgumentException("unknown binding '" + id + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(Binding::id).toList()));
    }

    @Override
    public String toString() { return id; }
}

package io.storecap.model;

import java.util.Arrays;
import java.util.List;

/**
 * The one catalogue of the connection anti-patterns a study can switch on as variant runs
 * ({@code <claim>~<id>}): their ids (config/study.yaml {@code patterns.list}, run ids, what-if's
 * {@code --pattern}) and what each is in words a founder reads. The service emulates the
 * service-side ones (its own {@code ServiceConfig.Pattern}, checked against this list by a test);
 * {@link #CRON_BESIDE_POOLER} is the harness's (cron jobs connecting beside the pooler).
 */
public enum AntiPattern {
    CLIENT_PER_REQUEST("client-per-request", "each request opens its own database client"),
    DEFAULT_LIMIT_FANOUT("default-limit-fanout", "connection_limit stays at Prisma's default while loaders fan queries out in parallel"),
    TX_EXTERNAL_CALL("tx-external-call", "transactions wait on an outside API call"),
    IDLE_IN_TX_LEAK("idle-in-tx-leak", "an error path leaves connections idle in a transaction"),
    CRON_BESIDE_POOLER("cron-beside-pooler", "cron jobs and migrations connect directly beside the pooler");

    private final String id;
    private final String words;

    AntiPattern(String id, String words) {
        this.id = id;
        this.words = words;
    }

    public String id() { return id; }

    /** What the pattern is, in words. */
    public String words() { return words; }

    /** Whether the pattern makes sense on a route: cron jobs beside a pooler need a pooler. */
    public boolean appliesTo(Route route) { return this != CRON_BESIDE_POOLER || route == Route.POOLED; }

    /** Every id, in catalogue order. */
    public static List<String> ids() { return Arrays.stream(values()).map(AntiPattern::id).toList(); }

    /** The pattern with this id; null when there is none. */
    public static AntiPattern find(String id) {
        for (AntiPattern p : values()) if (p.id.equals(id)) return p;
        return null;
    }

    /**
     * The pattern with this id.
     *
     * @throws IllegalArgumentException naming the id and the known ones
     */
    public static AntiPattern of(String id) {
        AntiPattern p = find(id);
        if (p == null) throw new IllegalArgumentException("'" + id + "' is not one of " + ids());
        return p;
    }
}

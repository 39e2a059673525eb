package io.storecap.model;

import java.util.Objects;

/**
 * A Postgres size the app can pay for. {@code reserved} slots are kept for superusers
 * (superuser_reserved_connections), so the app can use {@code maxConnections - reserved}.
 * The pooler fields describe a Neon-like PgBouncer in front of it.
 */
public record Tier(String id, String name, int maxConnections, int reserved, int poolerPoolSize,
                   int poolerMaxClientConn, double monthlyCostUsd, Double computeUnits) {
    public Tier {
        Objects.requireNonNull(id, "tier.id");
        if (name == null) name = id;
        if (maxConnections < 5)
            throw new IllegalArgumentException("tier " + id + ": maxConnections must be >= 5, was " + maxConnections);
        if (reserved < 1 || reserved >= maxConnections)
            throw new IllegalArgumentException("tier " + id + ": reserved must be between 1 and maxConnections-1"
                    + " (the sampler needs one reserved slot), was " + reserved);
        if (poolerPoolSize <= 0) poolerPoolSize = (int) Math.floor(0.9 * maxConnections);
        if (poolerPoolSize > maxConnections - reserved)
            throw new IllegalArgumentException("tier " + id + ": poolerPoolSize " + poolerPoolSize
                    + " exceeds the usable connections " + (maxConnections - reserved));
        if (poolerMaxClientConn <= 0) poolerMaxClientConn = 10000;
        if (monthlyCostUsd < 0) throw new IllegalArgumentException("tier " + id + ": monthlyCostUsd must be >= 0");
    }

    /** Connections the app's role may open: max_connections less the superuser reserve. */
    public int usableConnections() { return maxConnections - reserved; }
}

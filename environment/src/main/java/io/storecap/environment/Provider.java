package io.storecap.environment;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where Postgres and PgBouncer come from. */
public enum Provider {
    /** Containers when Docker is reachable and storecap's images exist, else local processes. */
    AUTO,
    /** Local processes: zonky's embedded Postgres binaries and the {@code pgbouncer} on PATH. */
    LOCAL,
    /** Testcontainers: docker/ images on a private network, with CPU and memory limits per tier. */
    CONTAINERS,
    /** The user's own deployment, given by JDBC URLs: read-only telemetry, never faulted. */
    EXTERNAL;

    /** Parses {@code auto|local|containers|external} (any case), or says which values exist. */
    public static Provider parse(String s) {
        if (s == null || s.isBlank()) return AUTO;
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown provider '" + s + "': use one of "
                    + Arrays.stream(values()).map(Provider::id).collect(Collectors.joining(", ")));
        }
    }

    public String id() { return name().toLowerCase(Locale.ROOT); }
}

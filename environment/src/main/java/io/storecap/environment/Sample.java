package io.storecap.environment;

import java.util.Map;

/**
 * One telemetry reading. Counters ({@code coldStarts}, {@code refusals}) are cumulative as the
 * service reports them; gauges are the value at {@code epochMs}.
 *
 * @param epochMs         when the reading was taken
 * @param latencyMs       how long taking it took (the sampler's own cost)
 * @param appBackends     client backends of the app role in pg_stat_activity
 * @param appActive       of those, state 'active'
 * @param appIdle         of those, state 'idle'
 * @param appIdleInTx     of those, 'idle in transaction' (or aborted)
 * @param allBackends     every client backend except the sampler's own
 * @param clActive        PgBouncer clients linked to a server connection (or idle clients, see SHOW POOLS)
 * @param clWaiting       PgBouncer clients waiting for a server connection
 * @param svActive        PgBouncer server connections in use
 * @param svIdle          PgBouncer server connections idle
 * @param maxWaitMs       longest current client wait at PgBouncer
 * @param warmInstances   the service's live function instances (-1 when unknown)
 * @param busyInstances   instances serving a request
 * @param inflight        requests in the service
 * @param coldStarts      cumulative cold starts
 * @param refusals        cumulative failures by cause
 * @param cpu             machine CPU use since the previous reading, 0..1
 */
public record Sample(long epochMs, double latencyMs, int appBackends, int appActive, int appIdle, int appIdleInTx,
                     int allBackends, int clActive, int clWaiting, int svActive, int svIdle, double maxWaitMs,
                     long warmInstances, long busyInstances, long inflight, long coldStarts,
                     Map<String, Long> refusals, double cpu) {
    public Sample {
        refusals = refusals == null ? Map.of() : Map.copyOf(refusals);
    }

    /** Pooler client connections: active plus waiting. */
    public int poolerClients() { return clActive + clWaiting; }
}

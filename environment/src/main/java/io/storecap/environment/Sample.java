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
 * @param fnBackends      of the app role's backends, those opened by function instances
 *                        (application_name storecap-fn); -1 when not read
 * @param busyMicros      cumulative time function instances were busy, emulated us (-1 when unknown)
 * @param served          cumulative requests function instances finished (-1 when unknown)
 * @param coldStartMicros cumulative time instances spent cold starting, emulated us (-1 when unknown)
 */
public record Sample(long epochMs, double latencyMs, int appBackends, int appActive, int appIdle, int appIdleInTx,
                     int allBackends, int clActive, int clWaiting, int svActive, int svIdle, double maxWaitMs,
                     long warmInstances, long busyInstances, long inflight, long coldStarts,
                     Map<String, Long> refusals, double cpu, int fnBackends, long busyMicros, long served,
                     long coldStartMicros) {
    public Sample {
        refusals = refusals == null ? Map.of() : Map.copyOf(refusals);
    }

    /** A reading without the function instances' own measurements (a source that has none). */
    public Sample(long epochMs, double latencyMs, int appBackends, int appActive, int appIdle, int appIdleInTx,
                  int allBackends, int clActive, int clWaiting, int svActive, int svIdle, double maxWaitMs,
                  long warmInstances, long busyInstances, long inflight, long coldStarts,
                  Map<String, Long> refusals, double cpu) {
        this(epochMs, latencyMs, appBackends, appActive, appIdle, appIdleInTx, allBackends, clActive, clWaiting, svActive,
                svIdle, maxWaitMs, warmInstances, busyInstances, inflight, coldStarts, refusals, cpu, -1, -1, -1, -1);
    }

    /** Pooler client connections: active plus waiting. */
    public int poolerClients() { return clActive + clWaiting; }
}

package io.storecap.model;

/**
 * What the emulated function instances and the database measured directly in one level, so the
 * serverless model's parameters are read, not fitted (issue 14). Times are production-equivalent
 * (divided by the level's time scale).
 *
 * @param functionSeconds     mean time a warm instance is busy per request: (busy time less
 *                            cold-start time) over requests finished; the model's S
 * @param coldStartSeconds    mean cold-start delay per cold start (over the whole probe when the level
 *                            itself started none); 0 when none happened
 * @param served              requests the instances finished in the level
 * @param coldStarts          instances started in the level
 * @param instanceConnections the app role's backends opened by function instances (application_name
 *                            storecap-fn in pg_stat_activity), after settling
 * @param otherConnections    the app role's other backends (webhook workers, cron, the dashboard): the
 *                            floor that does not grow with instances
 */
public record InstanceObservation(double functionSeconds, double coldStartSeconds, long served, long coldStarts,
                                  ConnectionStats instanceConnections, ConnectionStats otherConnections) {
    public InstanceObservation {
        if (!(functionSeconds >= 0) || !(coldStartSeconds >= 0))
            throw new IllegalArgumentException("functionSeconds and coldStartSeconds must be >= 0");
        if (served < 0 || coldStarts < 0) throw new IllegalArgumentException("served and coldStarts must be >= 0");
    }
}

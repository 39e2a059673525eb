package io.storecap.model.serverless;

/**
 * The few numbers the mechanistic model needs, each measured in a run (see {@link ServerlessCalibration}).
 *
 * @param requestsPerStorePerSecond arrival rate one store causes, all request kinds, at the profile's rate
 * @param functionSeconds           mean time a warm function instance is busy per request
 * @param connectionsPerInstance    connections a warm instance holds (1..connection_limit; parallel queries)
 * @param connectionSecondsPerRequest connection-seconds one request uses (Little: active connections / rate);
 *                                  the hold time that loads PgBouncer's pool on the pooled route
 * @param idleTtlSeconds            idle time after which an instance is reclaimed
 * @param connectionLimit           Prisma's connection_limit per instance
 * @param coldStartSeconds          extra busy time of a request that starts a new instance
 * @param dispatch                  which warm instance gets a request
 * @param floorConnections          connections the app holds outside function instances (webhook
 *                                  workers, cron), mean: the intercept of connections against instances
 * @param floorPeak                 the same, the most seen at once
 */
public record ServerlessParameters(double requestsPerStorePerSecond, double functionSeconds, double connectionsPerInstance,
                                   double connectionSecondsPerRequest, double idleTtlSeconds, int connectionLimit,
                                   double coldStartSeconds, Dispatch dispatch, double floorConnections, double floorPeak) {
    public ServerlessParameters {
        if (!(requestsPerStorePerSecond > 0)) throw new IllegalArgumentException("requestsPerStorePerSecond must be > 0");
        if (!(functionSeconds > 0)) throw new IllegalArgumentException("functionSeconds must be > 0");
        if (!(connectionsPerInstance > 0)) throw new IllegalArgumentException("connectionsPerInstance must be > 0");
        if (!(idleTtlSeconds >= 0)) throw new IllegalArgumentException("idleTtlSeconds must be >= 0");
        if (connectionLimit < 1) throw new IllegalArgumentException("connectionLimit must be >= 1");
        if (!(coldStartSeconds >= 0)) throw new IllegalArgumentException("coldStartSeconds must be >= 0");
        if (!(floorConnections >= 0) || !(floorPeak >= floorConnections))
            throw new IllegalArgumentException("floor connections must be >= 0 and floorPeak >= floorConnections");
        if (dispatch == null) dispatch = Dispatch.MRU;
    }

    /** Without cold starts, most-recently-used dispatch and no connections outside instances: the model's kindest case. */
    public ServerlessParameters(double requestsPerStorePerSecond, double functionSeconds, double connectionsPerInstance,
                                double connectionSecondsPerRequest, double idleTtlSeconds, int connectionLimit) {
        this(requestsPerStorePerSecond, functionSeconds, connectionsPerInstance, connectionSecondsPerRequest, idleTtlSeconds,
                connectionLimit, 0, Dispatch.MRU, 0, 0);
    }

    public ServerlessParameters withIdleTtlSeconds(double ttl) {
        return new ServerlessParameters(requestsPerStorePerSecond, functionSeconds, connectionsPerInstance, connectionSecondsPerRequest,
                ttl, connectionLimit, coldStartSeconds, dispatch, floorConnections, floorPeak);
    }

    /** A different connection_limit: an instance holds no more than it, and no more than it used to need. */
    public ServerlessParameters withConnectionLimit(int limit) {
        return new ServerlessParameters(requestsPerStorePerSecond, functionSeconds, Math.min(connectionsPerInstance, limit),
                connectionSecondsPerRequest, idleTtlSeconds, limit, coldStartSeconds, dispatch, floorConnections, floorPeak);
    }

    /** A peak multiplier on every store's rate. */
    public ServerlessParameters withRateMultiplier(double m) {
        return new ServerlessParameters(requestsPerStorePerSecond * m, functionSeconds, connectionsPerInstance, connectionSecondsPerRequest,
                idleTtlSeconds, connectionLimit, coldStartSeconds, dispatch, floorConnections, floorPeak);
    }

    /** Another function time (an anti-pattern's hold time, a what-if). */
    public ServerlessParameters withFunctionSeconds(double s) {
        return new ServerlessParameters(requestsPerStorePerSecond, s, connectionsPerInstance, connectionSecondsPerRequest,
                idleTtlSeconds, connectionLimit, coldStartSeconds, dispatch, floorConnections, floorPeak);
    }

    /** Other connections per instance and connection-seconds per request (a variant's measured ones). */
    public ServerlessParameters withConnections(double perInstance, double secondsPerRequest) {
        return new ServerlessParameters(requestsPerStorePerSecond, functionSeconds, perInstance, secondsPerRequest,
                idleTtlSeconds, connectionLimit, coldStartSeconds, dispatch, floorConnections, floorPeak);
    }
}

package io.storecap.model.serverless;

/**
 * The few numbers the mechanistic model needs, each measurable in a run.
 *
 * @param requestsPerStorePerSecond arrival rate one store causes, all request kinds, at the profile's rate
 * @param functionSeconds           mean time a function instance is busy per request
 * @param connectionsPerInstance    connections a warm instance holds (1..connection_limit; parallel queries)
 * @param connectionSecondsPerRequest connection-seconds one request uses (Little: active connections / rate);
 *                                  the hold time that loads PgBouncer's pool on the pooled route
 * @param idleTtlSeconds            idle time after which an instance is reclaimed
 * @param connectionLimit           Prisma's connection_limit per instance
 */
public record ServerlessParameters(double requestsPerStorePerSecond, double functionSeconds, double connectionsPerInstance,
                                   double connectionSecondsPerRequest, double idleTtlSeconds, int connectionLimit) {
    public ServerlessParameters {
        if (!(requestsPerStorePerSecond > 0)) throw new IllegalArgumentException("requestsPerStorePerSecond must be > 0");
        if (!(functionSeconds > 0)) throw new IllegalArgumentException("functionSeconds must be > 0");
        if (!(connectionsPerInstance > 0)) throw new IllegalArgumentException("connectionsPerInstance must be > 0");
        if (!(idleTtlSeconds >= 0)) throw new IllegalArgumentException("idleTtlSeconds must be >= 0");
        if (connectionLimit < 1) throw new IllegalArgumentException("connectionLimit must be >= 1");
    }

    public ServerlessParameters withIdleTtlSeconds(double ttl) {
        return new ServerlessParameters(requestsPerStorePerSecond, functionSeconds, connectionsPerInstance, connectionSecondsPerRequest, ttl, connectionLimit);
    }

    /** A different connection_limit: an instance holds no more than it, and no more than it used to need. */
    public ServerlessParameters withConnectionLimit(int limit) {
        return new ServerlessParameters(requestsPerStorePerSecond, functionSeconds, Math.min(connectionsPerInstance, limit),
                connectionSecondsPerRequest, idleTtlSeconds, limit);
    }

    /** A peak multiplier on every store's rate. */
    public ServerlessParameters withRateMultiplier(double m) {
        return new ServerlessParameters(requestsPerStorePerSecond * m, functionSeconds, connectionsPerInstance, connectionSecondsPerRequest, idleTtlSeconds, connectionLimit);
    }
}

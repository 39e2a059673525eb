package io.storecap.model.serverless;

import io.storecap.model.queue.ErlangC;
import org.apache.commons.math3.distribution.PoissonDistribution;

/**
 * The mechanistic model of connections on the serverless route: from arrival rate to busy instances,
 * warm instances, connections, and their peaks.
 * <ul>
 * <li>Busy instances (Little's law, M/G/infinity): N ~ Poisson(a), a = lambda x S, with lambda =
 * stores x per-store rate and S the mean function time.</li>
 * <li>Warm instances: with most-recently-idled dispatch an instance survives while the pool needs it,
 * so the warm count at t is the most instances busy at once within the last idle TTL:
 * W(t) = max N(s), s in (t - TTL, t].</li>
 * <li>The maximum of N over a window T, by Poisson clumping (Aldous, Probability Approximations via
 * the Poisson Clumping Heuristic, 1989): N enters level k at rate lambda P(N = k - 1), and entries
 * within T are nearly independent, so P(max &lt; k) = F(k - 1) exp(-lambda T p(k - 1)) with F, p
 * the Poisson(a) cdf and pmf. E[W] = sum over k &ge; 1 of P(max over TTL &ge; k); with TTL = 0 this
 * is E[N] = a exactly.</li>
 * <li>Connections: each warm instance holds m connections (1..connection_limit), so mean
 * connections = floor + m E[W], and the peak over a level of duration D is m times the peak of N over
 * D + TTL (warm instances remember the TTL before the level started); the 95 % quantile of that
 * peak is what a tier must hold.</li>
 * <li>Pooled route: the server side is PgBouncer's pool; transactions hold a server connection for
 * h seconds per request (connection-seconds by Little's law), so the pool is an M/M/c queue with
 * c = pool size and offered load lambda h ({@link ErlangC}).</li>
 * </ul>
 * Cold starts and the platform's dispatch change how many instances stay warm ({@link InstanceDynamics});
 * connections outside the instances (webhook workers) add a floor. {@link PoolSimulation} simulates the
 * pool where the approximations need checking.
 */
public final class ServerlessModel {
    private ServerlessModel() {}

    /** Mean warm instances: E[max of N over the idle TTL]. */
    public static double meanWarmInstances(double arrivalRate, double functionSeconds, double idleTtlSeconds) {
        return meanMax(arrivalRate, functionSeconds, idleTtlSeconds);
    }

    /** E[max of N over a window]. */
    public static double meanMax(double arrivalRate, double functionSeconds, double windowSeconds) {
        double a = arrivalRate * functionSeconds;
        if (a <= 0) return 0;
        PoissonDistribution p = poisson(a);
        double sum = 0;
        int kMax = (int) Math.ceil(a + 40 * Math.sqrt(a) + 60);
        for (int k = 1; k <= kMax; k++) {
            double below = maxBelow(p, arrivalRate, windowSeconds, k);
            sum += 1 - below;
            if (k > a && 1 - below < 1e-12) break;
        }
        return sum;
    }

    /** The q-quantile of the max of N over a window: the smallest k with P(max &le; k) &ge; q. */
    public static int maxQuantile(double arrivalRate, double functionSeconds, double windowSeconds, double q) {
        double a = arrivalRate * functionSeconds;
        if (a <= 0) return 0;
        PoissonDistribution p = poisson(a);
        // the max over a window is at least N now, whose median is about a: start the search below it
        int start = q >= 0.5 ? Math.max(0, (int) Math.floor(a) - 1) : 0;
        for (int k = start; ; k++) {
            if (maxBelow(p, arrivalRate, windowSeconds, k + 1) >= q) return k;
        }
    }

    /** P(max of N over T &lt; k) = F(k-1) exp(-lambda T p(k-1)). */
    static double maxBelow(PoissonDistribution p, double arrivalRate, double window, int k) {
        if (k <= 0) return 0;
        return p.cumulativeProbability(k - 1) * Math.exp(-arrivalRate * window * p.probability(k - 1));
    }

    private static PoissonDistribution poisson(double mean) {
        return new PoissonDistribution(null, mean, PoissonDistribution.DEFAULT_EPSILON, PoissonDistribution.DEFAULT_MAX_ITERATIONS);
    }

    /**
     * The model at a store count.
     *
     * @param windowSeconds the span the peak is taken over (a level's duration, or an hour for production)
     * @param poolSize      PgBouncer's pool on the pooled route; 0 on the direct route
     */
    public static ServerlessPrediction predict(ServerlessParameters p, int stores, double windowSeconds, int poolSize) {
        double lambda = stores * p.requestsPerStorePerSecond();
        double busy = lambda * InstanceDynamics.effectiveSeconds(lambda, p, windowSeconds);
        double warm = InstanceDynamics.meanWarm(lambda, p, windowSeconds);
        int peakInstances = InstanceDynamics.peakInstances(lambda, p, windowSeconds, 0.95);
        Double poolWaitP95Ms = null, poolUtilisation = null;
        if (poolSize > 0 && p.connectionSecondsPerRequest() > 0) {
            ErlangC q = new ErlangC(poolSize, lambda, p.connectionSecondsPerRequest());
            poolUtilisation = q.utilisation();
            poolWaitP95Ms = q.stable() ? 1000 * q.waitQuantileSeconds(0.95) : null;
        }
        return new ServerlessPrediction(stores, lambda, busy, warm, p.floorConnections() + p.connectionsPerInstance() * warm,
                p.floorPeak() + p.connectionsPerInstance() * peakInstances, windowSeconds, poolUtilisation, poolWaitP95Ms);
    }

    /**
     * The largest store count whose 95 % peak connections over the window stay within {@code limit}
     * (direct route); with a pool, also whose pool p95 wait stays within {@code maxPoolWaitMs}.
     * Returns {@code maxStores} when even that fits.
     */
    public static int storesAtLimit(ServerlessParameters p, int limit, double windowSeconds, int poolSize, double maxPoolWaitMs,
                                    int maxStores) {
        if (!fits(p, 1, limit, windowSeconds, poolSize, maxPoolWaitMs)) return 0;
        if (fits(p, maxStores, limit, windowSeconds, poolSize, maxPoolWaitMs)) return maxStores;
        int lo = 1, hi = maxStores; // fits(lo), !fits(hi); connections grow with stores, so one crossing
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (fits(p, mid, limit, windowSeconds, poolSize, maxPoolWaitMs)) lo = mid; else hi = mid;
        }
        return lo;
    }

    private static boolean fits(ServerlessParameters p, int stores, int limit, double window, int poolSize, double maxWaitMs) {
        return fitsAt(p, stores, limit, window, poolSize, maxWaitMs);
    }

    /**
     * Whether {@code stores} fit: the 95 % quantile of the peak connections over the window (m x the
     * 95 % quantile of max N over window + TTL) is within {@code limit}, and with a pool the Erlang C
     * p95 wait is within {@code maxPoolWaitMs}. The same test as {@link #storesAtLimit}, without the
     * mean figures {@link #predict} also computes, so a search can call it thousands of times.
     */
    public static boolean fitsAt(ServerlessParameters p, int stores, int limit, double windowSeconds, int poolSize, double maxPoolWaitMs) {
        double lambda = stores * p.requestsPerStorePerSecond();
        int peak = InstanceDynamics.peakInstances(lambda, p, windowSeconds, 0.95);
        if (p.floorPeak() + p.connectionsPerInstance() * peak > limit) return false;
        if (poolSize > 0 && p.connectionSecondsPerRequest() > 0) {
            ErlangC q = new ErlangC(poolSize, lambda, p.connectionSecondsPerRequest());
            return q.stable() && 1000 * q.waitQuantileSeconds(0.95) <= maxPoolWaitMs;
        }
        return true;
    }
}

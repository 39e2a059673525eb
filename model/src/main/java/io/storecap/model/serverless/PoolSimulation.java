package io.storecap.model.serverless;

import io.storecap.model.ConnectionStats;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A discrete-event simulation of a serverless function pool, as the reference service emulates it:
 * Poisson arrivals; a request goes to the most recently idled warm instance (a stack, as Vercel and
 * Lambda favour warm recent instances), else a new instance is cold-started; an instance serves one
 * request at a time for an exponential time with the given mean (plus the cold start when new); it
 * opens connections lazily (a request needs {@code connectionsPerRequest}, at most
 * {@code connectionLimit}) and keeps them until it is reclaimed after {@code idleTtlSeconds} idle.
 * Sampled at a fixed interval after a warm-up, like the telemetry sampler.
 * <p>
 * Used where the analytic model is approximate (the distribution of the peak over a level), and to
 * test that calibration recovers known parameters. Deterministic for a given seed.
 *
 * @param arrivalRate           requests per second
 * @param meanFunctionSeconds   mean time an instance is busy per request (warm)
 * @param idleTtlSeconds        idle time after which an instance and its connections are reclaimed
 * @param connectionsPerRequest connections a request holds at once (parallel queries)
 * @param connectionLimit       Prisma's connection_limit per instance
 * @param coldStartSeconds      extra busy time of a request that starts a new instance
 * @param durationSeconds       simulated time after warm-up
 * @param warmupSeconds         time simulated before sampling starts
 * @param sampleSeconds         sampling interval
 */
public record PoolSimulation(double arrivalRate, double meanFunctionSeconds, double idleTtlSeconds,
                             int connectionsPerRequest, int connectionLimit, double coldStartSeconds,
                             double durationSeconds, double warmupSeconds, double sampleSeconds) {
    public PoolSimulation {
        if (!(arrivalRate > 0)) throw new IllegalArgumentException("arrivalRate must be > 0");
        if (!(meanFunctionSeconds > 0)) throw new IllegalArgumentException("meanFunctionSeconds must be > 0");
        if (!(idleTtlSeconds >= 0)) throw new IllegalArgumentException("idleTtlSeconds must be >= 0");
        if (connectionsPerRequest < 1 || connectionLimit < 1) throw new IllegalArgumentException("connections must be >= 1");
        if (!(durationSeconds > 0 && sampleSeconds > 0 && warmupSeconds >= 0)) throw new IllegalArgumentException("bad durations");
    }

    /** A level: warm-up of one TTL (so the pool settles) then {@code seconds} sampled at 10 Hz, no cold-start delay. */
    public static PoolSimulation level(double arrivalRate, double meanFunctionSeconds, double idleTtlSeconds,
                                       int connectionsPerRequest, int connectionLimit, double seconds) {
        return new PoolSimulation(arrivalRate, meanFunctionSeconds, idleTtlSeconds, connectionsPerRequest, connectionLimit,
                0, seconds, Math.max(idleTtlSeconds, 10 * meanFunctionSeconds), 0.1);
    }

    /**
     * @param warmInstances    instances alive (busy or idle) per sample
     * @param connections      connections held by them per sample
     * @param activeConnections connections in use by a running request per sample
     * @param requests         requests arrived during the sampled period
     * @param coldStarts       instances started during the sampled period
     * @param seconds          sampled duration
     */
    public record Result(ConnectionStats warmInstances, ConnectionStats connections, ConnectionStats activeConnections,
                         long requests, long coldStarts, double seconds) {
        public double achievedRate() { return requests / seconds; }
    }

    private static final class Instance {
        int connections;
        double idleSince;
    }

    private record Completion(double time, Instance instance) {}

    public Result run(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Deque<Instance> idle = new ArrayDeque<>(); // head = most recently idled; tail = longest idle
        PriorityQueue<Completion> busy = new PriorityQueue<>((a, b) -> Double.compare(a.time, b.time));
        int perInstance = Math.min(connectionsPerRequest, connectionLimit);
        double end = warmupSeconds + durationSeconds;
        double nextArrival = exp(rnd, 1 / arrivalRate);
        double nextSample = warmupSeconds;
        int samples = (int) Math.floor(durationSeconds / sampleSeconds) + 1;
        double[] warm = new double[samples], conns = new double[samples], active = new double[samples];
        int s = 0;
        long requests = 0, cold = 0;
        int idleConnections = 0; // connections held by idle instances
        int busyConnections = 0;
        while (s < samples) {
            double tc = busy.isEmpty() ? Double.POSITIVE_INFINITY : busy.peek().time;
            double t = Math.min(nextArrival, Math.min(tc, nextSample));
            // reclaim instances idle for a TTL by time t (the tail is the longest idle)
            while (!idle.isEmpty() && idle.peekLast().idleSince + idleTtlSeconds <= t) {
                idleConnections -= idle.pollLast().connections;
            }
            if (t == nextSample) {
                warm[s] = idle.size() + busy.size();
                conns[s] = idleConnections + busyConnections;
                active[s] = busy.size() * (double) perInstance;
                s++;
                nextSample = warmupSeconds + s * sampleSeconds;
            } else if (t == tc) {
                Completion c = busy.poll();
                c.instance.idleSince = t;
                busyConnections -= c.instance.connections;
                idleConnections += c.instance.connections;
                idle.addFirst(c.instance);
            } else {
                boolean counted = t >= warmupSeconds && t < end;
                if (counted) requests++;
                Instance in = idle.pollFirst();
                double service = exp(rnd, meanFunctionSeconds);
                if (in == null) {
                    in = new Instance();
                    service += coldStartSeconds;
                    if (counted) cold++;
                } else {
                    idleConnections -= in.connections;
                }
                in.connections = Math.max(in.connections, perInstance); // opened lazily, kept
                busyConnections += in.connections;
                busy.add(new Completion(t + service, in));
                nextArrival = t + exp(rnd, 1 / arrivalRate);
            }
        }
        return new Result(ConnectionStats.of(warm), ConnectionStats.of(conns), ConnectionStats.of(active), requests, cold, durationSeconds);
    }

    private static double exp(SplittableRandom r, double mean) { return -mean * Math.log(1 - r.nextDouble()); }
}

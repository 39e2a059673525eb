package io.storecap.model.serverless;

import io.storecap.model.ConnectionStats;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A discrete-event simulation of a serverless function pool, as the reference service emulates it:
 * Poisson arrivals; a request goes to an idle warm instance chosen by the {@link Dispatch} (most
 * recently idled, least recently idled, or one at random), else a new instance is cold-started; an instance serves one
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
 * @param dispatch              which idle instance gets a request
 * @param floorConnections      connections held outside the instances (webhook workers): added to every sample
 * @param rampSeconds           the arrival rate rises linearly from 0 over this long at the start (as the
 *                              study's settle part does, so the pool grows by need, not by a cold-start storm)
 */
public record PoolSimulation(double arrivalRate, double meanFunctionSeconds, double idleTtlSeconds,
                             int connectionsPerRequest, int connectionLimit, double coldStartSeconds,
                             double durationSeconds, double warmupSeconds, double sampleSeconds,
                             Dispatch dispatch, int floorConnections, double rampSeconds) {
    public PoolSimulation {
        if (dispatch == null) dispatch = Dispatch.MRU;
        if (floorConnections < 0) throw new IllegalArgumentException("floorConnections must be >= 0");
        if (!(arrivalRate > 0)) throw new IllegalArgumentException("arrivalRate must be > 0");
        if (!(meanFunctionSeconds > 0)) throw new IllegalArgumentException("meanFunctionSeconds must be > 0");
        if (!(idleTtlSeconds >= 0)) throw new IllegalArgumentException("idleTtlSeconds must be >= 0");
        if (connectionsPerRequest < 1 || connectionLimit < 1) throw new IllegalArgumentException("connections must be >= 1");
        if (!(durationSeconds > 0 && sampleSeconds > 0 && warmupSeconds >= 0)) throw new IllegalArgumentException("bad durations");
    }

    /** Most-recently-used dispatch, no floor. */
    public PoolSimulation(double arrivalRate, double meanFunctionSeconds, double idleTtlSeconds, int connectionsPerRequest,
                          int connectionLimit, double coldStartSeconds, double durationSeconds, double warmupSeconds,
                          double sampleSeconds) {
        this(arrivalRate, meanFunctionSeconds, idleTtlSeconds, connectionsPerRequest, connectionLimit, coldStartSeconds,
                durationSeconds, warmupSeconds, sampleSeconds, Dispatch.MRU, 0, 0);
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
     * @param busySeconds      instance busy time of the requests that finished in the sampled period (cold starts included)
     * @param finished         requests that finished in the sampled period
     * @param coldStartSeconds cold-start time of the instances started in the sampled period
     * @param instanceConnections connections held by instances per sample (without the floor)
     */
    public record Result(ConnectionStats warmInstances, ConnectionStats connections, ConnectionStats activeConnections,
                         long requests, long coldStarts, double seconds, double busySeconds, long finished,
                         double coldStartSeconds, ConnectionStats instanceConnections) {
        public double achievedRate() { return requests / seconds; }

        /** Mean warm busy time per request, as the service measures it: (busy - cold start) / finished. */
        public double functionSeconds() { return finished == 0 ? 0 : (busySeconds - coldStartSeconds) / finished; }
    }

    private static final class Instance {
        int connections;
        double idleSince;
        double busySince;
        long key;
        int index; // position in the idle list, for uniform random dispatch
    }

    /** Idle instances: ordered by when they went idle (for reaping, MRU and LRU) and in a list (for random picks). */
    private static final class Idle {
        final java.util.TreeMap<Long, Instance> byAge = new java.util.TreeMap<>();
        final java.util.ArrayList<Instance> list = new java.util.ArrayList<>();
        long next;

        boolean isEmpty() { return list.isEmpty(); }
        int size() { return list.size(); }
        Instance oldest() { return byAge.firstEntry().getValue(); }

        void add(Instance i) {
            i.key = next++;
            byAge.put(i.key, i);
            i.index = list.size();
            list.add(i);
        }

        Instance remove(Instance i) {
            byAge.remove(i.key);
            Instance last = list.remove(list.size() - 1);
            if (last != i) {
                list.set(i.index, last);
                last.index = i.index;
            }
            return i;
        }
    }

    private record Completion(double time, Instance instance) {}

    public Result run(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        SplittableRandom pick = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        Idle idle = new Idle();
        PriorityQueue<Completion> busy = new PriorityQueue<>((a, b) -> Double.compare(a.time, b.time));
        int perInstance = Math.min(connectionsPerRequest, connectionLimit);
        double end = warmupSeconds + durationSeconds;
        double nextArrival = exp(rnd, 1 / arrivalRate);
        double nextSample = warmupSeconds;
        int samples = (int) Math.floor(durationSeconds / sampleSeconds) + 1;
        double[] warm = new double[samples], conns = new double[samples], active = new double[samples], inst = new double[samples];
        int s = 0;
        long requests = 0, cold = 0, finished = 0;
        double busyTime = 0, coldTime = 0;
        int idleConnections = 0; // connections held by idle instances
        int busyConnections = 0;
        while (s < samples) {
            double tc = busy.isEmpty() ? Double.POSITIVE_INFINITY : busy.peek().time;
            double t = Math.min(nextArrival, Math.min(tc, nextSample));
            // reclaim instances idle for a TTL by time t (the tail is the longest idle)
            while (!idle.isEmpty() && idle.oldest().idleSince + idleTtlSeconds <= t) {
                idleConnections -= idle.remove(idle.oldest()).connections;
            }
            if (t == nextSample) {
                warm[s] = idle.size() + busy.size();
                inst[s] = idleConnections + busyConnections;
                conns[s] = inst[s] + floorConnections;
                active[s] = busy.size() * (double) perInstance;
                s++;
                nextSample = warmupSeconds + s * sampleSeconds;
            } else if (t == tc) {
                Completion c = busy.poll();
                c.instance.idleSince = t;
                if (t >= warmupSeconds && t < end) {
                    finished++;
                    busyTime += t - c.instance.busySince;
                }
                busyConnections -= c.instance.connections;
                idleConnections += c.instance.connections;
                idle.add(c.instance);
            } else if (t < rampSeconds && rnd.nextDouble() * rampSeconds > t) {
                nextArrival = t + exp(rnd, 1 / arrivalRate); // thinned: the rate is still ramping up
            } else {
                boolean counted = t >= warmupSeconds && t < end;
                if (counted) requests++;
                Instance in = take(idle, pick);
                double service = exp(rnd, meanFunctionSeconds);
                if (in == null) {
                    in = new Instance();
                    service += coldStartSeconds;
                    if (counted) {
                        cold++;
                        coldTime += coldStartSeconds;
                    }
                } else {
                    idleConnections -= in.connections;
                }
                in.connections = Math.max(in.connections, perInstance); // opened lazily, kept
                busyConnections += in.connections;
                in.busySince = t;
                busy.add(new Completion(t + service, in));
                nextArrival = t + exp(rnd, 1 / arrivalRate);
            }
        }
        return new Result(ConnectionStats.of(warm), ConnectionStats.of(conns), ConnectionStats.of(active), requests, cold, durationSeconds,
                busyTime, finished, coldTime, ConnectionStats.of(inst));
    }

    /** The idle instance the dispatch picks (removed from the idle set), or null when none is idle. */
    private Instance take(Idle idle, SplittableRandom pick) {
        if (idle.isEmpty()) return null;
        return idle.remove(switch (dispatch) {
            case MRU -> idle.byAge.lastEntry().getValue();
            case LRU -> idle.oldest();
            case RANDOM -> idle.list.get(pick.nextInt(idle.size()));
        });
    }

    private static double exp(SplittableRandom r, double mean) { return -mean * Math.log(1 - r.nextDouble()); }
}

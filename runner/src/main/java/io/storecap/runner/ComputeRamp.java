package io.storecap.runner;

import io.storecap.model.ComputeKnee.RampPoint;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A closed-loop concurrency ramp: at each level, that many clients, each on its own connection and
 * without think time, run a unit of work over and over; after a warm-up the level is cut into
 * windows, each a replicate point (requests, round trips and errors counted, and the CPU the
 * Postgres and PgBouncer containers, this JVM and the machine used, from {@link CpuProbe}).
 * Connections are opened as the ramp needs them and kept across levels (a client connection to
 * PgBouncer costs Postgres nothing), and all closed by {@link #close}, also after a failure.
 */
final class ComputeRamp implements AutoCloseable {

    /** A unit of work: one request of the mix, or one trivial statement; returns its round trips. */
    @FunctionalInterface
    interface Work {
        int run(Connection c, SplittableRandom rnd) throws SQLException;
    }

    /** The CPU readings the ramp takes at each window's boundaries. */
    interface CpuProbe {
        /** Everything at once, as close together in time as possible. */
        Reading read();

        /** What each window's points carry, from two readings. */
        record Reading(long nanos, Double postgresSeconds, Long postgresPeriods, Long postgresThrottled, Double pgbouncerSeconds,
                       double injectorSeconds, long[] machineJiffies) {}
    }

    /**
     * How long each level runs.
     *
     * @param mixClients     the mix ramp's levels
     * @param trivialClients the trivial ramp's levels
     * @param warmupSeconds  unmeasured start of each level
     * @param windowSeconds  one window
     * @param windows        windows (replicates) per level
     * @param seedStores     stores seeded for the mix
     */
    record Settings(List<Integer> mixClients, List<Integer> trivialClients, double warmupSeconds, double windowSeconds, int windows,
                    int seedStores) {
        Settings {
            mixClients = List.copyOf(mixClients);
            trivialClients = List.copyOf(trivialClients);
            if (mixClients.size() < 3) throw new IllegalArgumentException("the mix ramp needs at least 3 levels for the USL, was " + mixClients);
            if (mixClients.stream().anyMatch(n -> n < 1) || trivialClients.stream().anyMatch(n -> n < 1))
                throw new IllegalArgumentException("every ramp level needs at least one client");
            if (!(windowSeconds > 0) || windows < 1 || warmupSeconds < 0)
                throw new IllegalArgumentException("windows must be >= 1 of > 0 s, and the warm-up >= 0 s");
        }

        /** About 80 s of load: 7 mix levels and 4 trivial ones, 1 s warm-up and 3 windows of 2 s each. */
        static Settings quick() { return new Settings(List.of(1, 2, 4, 8, 16, 32, 64), List.of(1, 4, 16, 64), 1, 2, 3, 2000); }

        /** About 3 minutes of load: the same levels, 2 s warm-up and 5 windows of 3 s. */
        static Settings full() { return new Settings(List.of(1, 2, 4, 8, 16, 32, 64), List.of(1, 4, 16, 64), 2, 3, 5, 5000); }

        /** Seconds of load in all. */
        double loadSeconds() {
            return (mixClients.size() + trivialClients.size()) * (warmupSeconds + windows * windowSeconds);
        }

        int maxClients() {
            return Math.max(mixClients.stream().mapToInt(Integer::intValue).max().orElse(1),
                    trivialClients.stream().mapToInt(Integer::intValue).max().orElse(1));
        }
    }

    private final String url;
    private final Properties props = new Properties();
    private final CpuProbe probe;
    /** Slot i is client i's connection: added between levels, replaced only by client i when broken. */
    private final List<Connection> connections = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService pool;

    ComputeRamp(String jdbcUrl, String user, String password, CpuProbe probe, int maxClients) {
        this.url = jdbcUrl;
        props.setProperty("user", user);
        props.setProperty("password", password == null ? "" : password);
        props.setProperty("ApplicationName", "storecap-compute");
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "60");
        this.probe = probe;
        this.pool = Executors.newFixedThreadPool(maxClients, r -> {
            Thread t = new Thread(r, "compute-client");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code work} at each level; one point per window. */
    List<RampPoint> run(String ramp, List<Integer> levels, Work work, Settings s, long seed, Consumer<String> progress) throws SQLException {
        List<RampPoint> points = new ArrayList<>();
        for (int clients : levels) {
            while (connections.size() < clients) connections.add(open());
            LongAdder tx = new LongAdder(), stmts = new LongAdder(), errors = new LongAdder();
            AtomicReference<String> firstError = new AtomicReference<>();
            stopping = false;
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int slot = i;
                SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + clients * 1009L + i);
                running.add(pool.submit(() -> client(slot, work, rnd, tx, stmts, errors, firstError)));
            }
            List<RampPoint> level = new ArrayList<>();
            try {
                sleep(s.warmupSeconds());
                CpuProbe.Reading r0 = probe.read();
                long t0 = tx.sum(), s0 = stmts.sum(), e0 = errors.sum();
                for (int w = 1; w <= s.windows(); w++) {
                    sleep(s.windowSeconds());
                    CpuProbe.Reading r1 = probe.read();
                    long t1 = tx.sum(), s1 = stmts.sum(), e1 = errors.sum();
                    level.add(point(ramp, clients, w, r0, r1, t1 - t0, s1 - s0, e1 - e0));
                    r0 = r1;
                    t0 = t1;
                    s0 = s1;
                    e0 = e1;
                }
            } finally {
                stopping = true;
                for (Future<?> f : running) await(f);
            }
            points.addAll(level);
            progress.accept(describe(ramp, clients, level, firstError.get()));
        }
        return points;
    }

    /** Set when a level ends: its clients finish the request under way and return. */
    private volatile boolean stopping;

    private void client(int slot, Work work, SplittableRandom rnd, LongAdder tx, LongAdder stmts, LongAdder errors,
                        AtomicReference<String> firstError) {
        while (!stopping) {
            Connection c = connections.get(slot);
            try {
                int n = work.run(c, rnd);
                tx.increment();
                stmts.add(n);
            } catch (SQLException | RuntimeException e) {
                errors.increment();
                firstError.compareAndSet(null, e.getMessage());
                if (broken(c)) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // already gone
                    }
                    try {
                        connections.set(slot, open());
                    } catch (SQLException again) {
                        sleep(0.1); // PgBouncer refuses for now: count the errors, try again
                    }
                }
            }
        }
    }

    private static RampPoint point(String ramp, int clients, int replicate, CpuProbe.Reading a, CpuProbe.Reading b,
                                   long tx, long stmts, long errors) {
        double wall = (b.nanos() - a.nanos()) / 1e9;
        Double pg = a.postgresSeconds() == null || b.postgresSeconds() == null ? null : (b.postgresSeconds() - a.postgresSeconds()) / wall;
        Double bouncer = a.pgbouncerSeconds() == null || b.pgbouncerSeconds() == null ? null : (b.pgbouncerSeconds() - a.pgbouncerSeconds()) / wall;
        Double throttled = null;
        if (a.postgresPeriods() != null && b.postgresPeriods() != null && b.postgresPeriods() > a.postgresPeriods())
            throttled = (double) (b.postgresThrottled() - a.postgresThrottled()) / (b.postgresPeriods() - a.postgresPeriods());
        Double busy = io.storecap.environment.ContainerCpu.machineBusy(a.machineJiffies(), b.machineJiffies());
        return RampPoint.of(ramp, clients, replicate, wall, tx, stmts, errors, pg, bouncer, throttled,
                (b.injectorSeconds() - a.injectorSeconds()) / wall, busy);
    }

    private static String describe(String ramp, int clients, List<RampPoint> level, String firstError) {
        double x = level.stream().mapToDouble(RampPoint::throughput).average().orElse(0);
        double pg = level.stream().filter(p -> p.postgresCores() != null).mapToDouble(RampPoint::postgresCores).average().orElse(Double.NaN);
        double pb = level.stream().filter(p -> p.pgbouncerCores() != null).mapToDouble(RampPoint::pgbouncerCores).average().orElse(Double.NaN);
        double inj = level.stream().filter(p -> p.injectorCores() != null).mapToDouble(RampPoint::injectorCores).average().orElse(Double.NaN);
        double busy = level.stream().filter(p -> p.machineBusy() != null).mapToDouble(RampPoint::machineBusy).average().orElse(Double.NaN);
        long errors = level.stream().mapToLong(RampPoint::errors).sum();
        return String.format(java.util.Locale.ROOT, "  %-7s %3d clients: %8.1f requests/s (%s)  Postgres %.2f, PgBouncer %.2f, load generator %.2f cores; machine %.0f %% busy%s",
                ramp, clients, x, level.stream().map(p -> String.format(java.util.Locale.ROOT, "%.0f", p.throughput()))
                        .reduce((u, v) -> u + ", " + v).orElse(""), pg, pb, inj, 100 * busy,
                errors == 0 ? "" : "; " + errors + " errors (first: " + firstError + ")");
    }

    private Connection open() throws SQLException {
        Connection c = DriverManager.getConnection(url, props);
        c.setAutoCommit(true);
        return c;
    }

    private static boolean broken(Connection c) {
        try {
            return c.isClosed() || !c.isValid(2);
        } catch (SQLException e) {
            return true;
        }
    }

    private static void await(Future<?> f) {
        try {
            f.get(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            f.cancel(true);
        }
    }

    private static void sleep(double seconds) {
        try {
            Thread.sleep(Math.round(seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the compute ramp was interrupted", e);
        }
    }

    /** This JVM's CPU seconds so far (the load generator's threads and everything else it runs). */
    static double jvmCpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime() / 1e9;
        return 0;
    }

    @Override
    public void close() {
        stopping = true;
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection c : connections) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        connections.clear();
    }
}

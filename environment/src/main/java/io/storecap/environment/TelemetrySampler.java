package io.storecap.environment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Records what the database really sees, 10 times a second by default: the app role's backends by
 * state from pg_stat_activity (on a superuser connection, inside the reserved slots), PgBouncer's
 * SHOW POOLS, the service's /metrics, and the machine's CPU. Each source is optional and a failing
 * source (a pooler killed mid-run) yields zeros for that reading, not a dead sampler.
 */
public final class TelemetrySampler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TelemetrySampler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PostgresHandle postgres;
    private final PgBouncerHandle pgbouncer;
    private final URI metricsUri;
    private final long periodMs;
    private final Path csv;
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private ScheduledExecutorService timer;
    /** Reads PgBouncer and /metrics while the timer thread reads Postgres: a sample takes the slowest source's time, not the sum. */
    private java.util.concurrent.ExecutorService readers;
    private final java.util.Set<Long> threadIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, List<Double>> sourceMs = new java.util.concurrent.ConcurrentHashMap<>();
    private BufferedWriter out;
    private Connection pg;
    private PgBouncerConsole bouncer;
    private long[] lastCpu;
    private volatile long errors;
    private long postgresErrors;
    private long bouncerErrors;

    private TelemetrySampler(PostgresHandle postgres, PgBouncerHandle pgbouncer, URI metricsUri, long periodMs, Path csv) {
        this.postgres = postgres;
        this.pgbouncer = pgbouncer;
        this.metricsUri = metricsUri;
        this.periodMs = periodMs;
        this.csv = csv;
    }

    /** A sampler of the given Postgres; add the pooler, the service and a CSV file with the withX methods. */
    public static Builder of(PostgresHandle postgres) { return new Builder(postgres); }

    /** Fluent configuration, Testcontainers style. */
    public static final class Builder {
        private final PostgresHandle postgres;
        private PgBouncerHandle pgbouncer;
        private URI metricsUri;
        private long periodMs = 100;
        private Path csv;

        private Builder(PostgresHandle postgres) { this.postgres = postgres; }

        public Builder withPgBouncer(PgBouncerHandle h) { this.pgbouncer = h; return this; }

        public Builder withServiceMetrics(URI uri) { this.metricsUri = uri; return this; }

        public Builder withPeriodMs(long ms) {
            if (ms < 10) throw new IllegalArgumentException("sampling period must be >= 10 ms, was " + ms);
            this.periodMs = ms;
            return this;
        }

        public Builder withCsv(Path file) { this.csv = file; return this; }

        public TelemetrySampler start() { return new TelemetrySampler(postgres, pgbouncer, metricsUri, periodMs, csv).begin(); }
    }

    private TelemetrySampler begin() {
        try {
            pg = connectPostgres();
            if (csv != null) {
                Files.createDirectories(csv.toAbsolutePath().getParent());
                out = Files.newBufferedWriter(csv);
                out.write("epochMs,latencyMs,appBackends,appActive,appIdle,appIdleInTx,allBackends,clActive,clWaiting,"
                        + "svActive,svIdle,maxWaitMs,warmInstances,busyInstances,inflight,coldStarts,refusals,cpu,"
                        + "fnBackends,busyMicros,served,coldStartMicros\n");
            }
        } catch (SQLException | IOException e) {
            close();
            throw new EnvironmentException("telemetry cannot connect to " + postgres + " as superuser: " + e.getMessage(), e);
        }
        lastCpu = readCpu();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "telemetry");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sampleSafely, 0, periodMs, TimeUnit.MILLISECONDS);
        Cleanup.register(this);
        return this;
    }

    private Connection connectPostgres() throws SQLException {
        // short timeouts: a Postgres that is restarting costs a sample, never the sampler
        return postgres.adminConnection("storecap-telemetry", 2, 5);
    }

    /** CPU time the sampling threads have used so far, in ns (-1 where the JVM cannot tell): its cost. */
    public long cpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (threadIds.isEmpty() || !mx.isThreadCpuTimeSupported()) return -1;
        long sum = 0;
        for (long id : threadIds) sum += Math.max(0, mx.getThreadCpuTime(id));
        return sum;
    }

    private synchronized java.util.concurrent.ExecutorService readers() {
        if (readers == null) {
            readers = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(() -> {
                    threadIds.add(Thread.currentThread().getId());
                    r.run();
                }, "telemetry-reader");
                t.setDaemon(true);
                return t;
            });
        }
        return readers;
    }

    private void sampleSafely() {
        threadIds.add(Thread.currentThread().getId());
        try {
            Sample s = sample();
            samples.add(s);
            if (out != null) {
                out.write(csvLine(s));
            }
        } catch (Throwable t) {
            if (errors++ % 50 == 0) log.warn("telemetry sample failed: {}", t.toString());
        }
    }

    /** Takes one reading now. */
    public synchronized Sample sample() {
        long t0 = System.nanoTime();
        long now = System.currentTimeMillis();
        Map<String, Long> refusals = new LinkedHashMap<>();
        var poolRead = pgbouncer == null ? java.util.concurrent.CompletableFuture.completedFuture(new int[5])
                : java.util.concurrent.CompletableFuture.supplyAsync(() -> timed("pgbouncer", t0, this::readPgBouncer), readers());
        var svcRead = metricsUri == null ? java.util.concurrent.CompletableFuture.completedFuture(new long[]{-1, -1, -1, -1, -1, -1, -1})
                : java.util.concurrent.CompletableFuture.supplyAsync(() -> timed("service", t0, () -> readService(refusals)), readers());
        int[] db = timed("postgres", t0, this::readPostgres);
        int[] pool = poolRead.join(); // each read bounds its own wait (connect and read timeouts)
        long[] svc = svcRead.join(); // join() orders the reader's writes to refusals before this read
        long[] cpuNow = readCpu();
        double cpu = 0;
        if (lastCpu != null && cpuNow != null) {
            long total = cpuNow[0] - lastCpu[0];
            long idle = cpuNow[1] - lastCpu[1];
            cpu = total <= 0 ? 0 : Math.max(0, Math.min(1, 1.0 - (double) idle / total));
        }
        lastCpu = cpuNow;
        double latency = (System.nanoTime() - t0) / 1e6;
        return new Sample(now, latency, db[0], db[1], db[2], db[3], db[4], pool[0], pool[1], pool[2], pool[3], pool[4],
                svc[0], svc[1], svc[2], svc[3], refusals, cpu, db[5], svc[4], svc[5], svc[6]);
    }

    /** Runs one source's read and notes when it finished, counted from the sample's start. */
    private <T> T timed(String source, long t0, java.util.function.Supplier<T> read) {
        T v = read.get();
        sourceMs.computeIfAbsent(source, k -> Collections.synchronizedList(new ArrayList<>())).add((System.nanoTime() - t0) / 1e6);
        return v;
    }

    /**
     * Per source (postgres, pgbouncer, service), the p99 of the time from a sample's start until
     * that source had answered: which read a slow sample waited for.
     */
    public Map<String, Double> sourceP99Ms() {
        Map<String, Double> m = new LinkedHashMap<>();
        sourceMs.forEach((k, v) -> {
            double[] a;
            synchronized (v) {
                a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            }
            if (a.length > 0) m.put(k, io.storecap.model.Quantiles.nearestRank(a, 0.99));
        });
        return m;
    }

    private int[] readPostgres() {
        try {
            if (pg == null || pg.isClosed()) pg = connectPostgres();
            try (PreparedStatement s = pg.prepareStatement("""
                    SELECT count(*) FILTER (WHERE usename = ?),
                           count(*) FILTER (WHERE usename = ? AND state = 'active'),
                           count(*) FILTER (WHERE usename = ? AND state = 'idle'),
                           count(*) FILTER (WHERE usename = ? AND state LIKE 'idle in transaction%'),
                           count(*),
                           count(*) FILTER (WHERE usename = ? AND application_name = 'storecap-fn')
                    FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()""")) {
                for (int i = 1; i <= 5; i++) s.setString(i, postgres.appUser());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return new int[]{rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getInt(6)};
                }
            }
        } catch (SQLException e) {
            if (postgresErrors++ % 100 == 0) log.warn("pg_stat_activity read failed (zeros recorded until it answers): {}", e.toString());
            closeQuietly(pg);
            pg = null; // Postgres restarting: reconnect next time
            return new int[]{0, 0, 0, 0, 0, -1};
        }
    }

    private int[] readPgBouncer() {
        if (pgbouncer == null) return new int[5];
        try {
            if (bouncer == null || !bouncer.isOpen())
                bouncer = PgBouncerConsole.connect(pgbouncer.host(), pgbouncer.port(), pgbouncer.adminUser(), pgbouncer.adminPassword(), 2000);
            int clActive = 0, clWaiting = 0, svActive = 0, svIdle = 0;
            double maxWaitMs = 0;
            for (Map<String, String> row : bouncer.query("SHOW POOLS")) {
                if (!pgbouncer.database().equals(row.get("database"))) continue;
                clActive += num(row, "cl_active");
                clWaiting += num(row, "cl_waiting");
                svActive += num(row, "sv_active");
                svIdle += num(row, "sv_idle");
                maxWaitMs = Math.max(maxWaitMs, num(row, "maxwait") * 1000.0 + num(row, "maxwait_us") / 1000.0);
            }
            return new int[]{clActive, clWaiting, svActive, svIdle, (int) Math.round(maxWaitMs)};
        } catch (IOException e) {
            if (bouncerErrors++ % 100 == 0) log.warn("PgBouncer SHOW POOLS failed (zeros recorded until it answers): {}", e.toString());
            closeQuietly(bouncer);
            bouncer = null; // PgBouncer down: zeros now, reconnect next time
            return new int[5];
        }
    }

    private static long num(Map<String, String> row, String col) {
        String v = row.get(col);
        if (v == null) return 0;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private long[] readService(Map<String, Long> refusals) {
        if (metricsUri == null) return new long[]{-1, -1, -1, -1, -1, -1, -1};
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(metricsUri).timeout(Duration.ofMillis(800)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode m = JSON.readTree(r.body());
            m.path("refusals").fields().forEachRemaining(e -> refusals.put(e.getKey(), e.getValue().asLong()));
            return new long[]{m.path("warmInstances").asLong(), m.path("busyInstances").asLong(),
                    m.path("inflight").asLong(), m.path("coldStarts").asLong(), m.path("instanceBusyMicros").asLong(-1),
                    m.path("instanceRequests").asLong(-1), m.path("coldStartMicros").asLong(-1)};
        } catch (IOException e) {
            return new long[]{-1, -1, -1, -1, -1, -1, -1};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new long[]{-1, -1, -1, -1, -1, -1, -1};
        }
    }

    /** Machine-wide {total, idle} jiffies from /proc/stat, or null where there is none. */
    private static long[] readCpu() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) total += Long.parseLong(f[i]);
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[]{total, idle};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String csvLine(Sample s) {
        StringBuilder r = new StringBuilder();
        s.refusals().forEach((k, v) -> r.append(r.length() == 0 ? "" : ";").append(k).append('=').append(v));
        return s.epochMs() + "," + String.format(java.util.Locale.ROOT, "%.2f", s.latencyMs()) + "," + s.appBackends() + ","
                + s.appActive() + "," + s.appIdle() + "," + s.appIdleInTx() + "," + s.allBackends() + "," + s.clActive() + ","
                + s.clWaiting() + "," + s.svActive() + "," + s.svIdle() + "," + s.maxWaitMs() + "," + s.warmInstances() + ","
                + s.busyInstances() + "," + s.inflight() + "," + s.coldStarts() + "," + r + ","
                + String.format(java.util.Locale.ROOT, "%.3f", s.cpu()) + "," + s.fnBackends() + "," + s.busyMicros() + ","
                + s.served() + "," + s.coldStartMicros() + "\n";
    }

    /** Every reading so far, oldest first. */
    public List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The newest reading, null before the first: what a live view shows, without copying every reading. */
    public Sample latest() {
        synchronized (samples) {
            return samples.isEmpty() ? null : samples.get(samples.size() - 1);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a broken telemetry connection
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdown();
            try {
                timer.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
        synchronized (this) {
            if (readers != null) readers.shutdownNow();
            readers = null;
        }
        closeQuietly(pg);
        closeQuietly(bouncer);
        pg = null;
        bouncer = null;
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the samples stay in memory
            }
            out = null;
        }
    }
}

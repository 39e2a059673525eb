package io.storecap.model;

import com.fasterxml.jackson.annotation.JsonValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A pooled claim's compute-bound knee. Behind PgBouncer the server connections are capped by the
 * pool, so connections do not bind; the ceiling is how much of the app's SQL Postgres (or
 * PgBouncer's one thread) can run at the tier's compute size. A closed-loop concurrency ramp of the
 * app's own SQL mix through PgBouncer, against Postgres limited to the tier's compute units, gives
 * throughput points; the Universal Scalability Law fitted to them gives the maximum sustainable
 * throughput X_max (with a bootstrap interval); the knee in stores is X_max over the per-store
 * demand of the traffic profile. Written by the runner as {@code runs/<claim>/compute.json}, read by
 * the report ({@code summary.json} claims[].computeKnee). Built by
 * {@code io.storecap.model.capacity.ComputeKnees}.
 *
 * @param kind                     knee (a ceiling was reached and a resource named), lower-bound (the
 *                                 ramp stopped short of the ceiling), machine-limited (this machine
 *                                 could not give the compute size, or saturated first), none (not measured)
 * @param stores                   the knee in stores: X_max / perStoreTps; for a bound, the highest
 *                                 throughput carried / perStoreTps
 * @param low                      95 % interval's low end, stores
 * @param high                     its high end, stores; null when unbounded (a lower bound)
 * @param resource                 the saturated resource
 * @param saturated                the saturated resource in words, with the reading that names it
 * @param throughputMax            X_max, requests (transactions of the mix) a second
 * @param throughputLow            X_max's 95 % interval, low end
 * @param throughputHigh           its high end; null when unbounded
 * @param perStoreTps              one store's requests a second at the profile's phase (per-store kinds)
 * @param statementsPerTransaction round trips per request of the mix, as measured
 * @param cpus                     Postgres' CPU limit as applied (vCPU)
 * @param cpusAsked                the tier's compute units (1 CU = 1 vCPU)
 * @param poolSize                 PgBouncer's default_pool_size
 * @param machineCores             this machine's cores
 * @param usl                      the fit of the mix ramp
 * @param pgbouncer                PgBouncer's own ceiling, measured beside it with a trivial statement
 * @param points                   every measured window of both ramps
 * @param notes                    what the reader should know (the machine, errors, what is left out)
 * @param reason                   why it was not measured (kind none); else null
 */
public record ComputeKnee(MeasuredKind kind, Double stores, Double low, Double high, Resource resource, String saturated,
                          Double throughputMax, Double throughputLow, Double throughputHigh, double perStoreTps,
                          Double statementsPerTransaction, Double cpus, Double cpusAsked, Integer poolSize, int machineCores,
                          Usl usl, PgBouncerCeiling pgbouncer, List<RampPoint> points, List<String> notes, String reason) {

    /** The file a run folder holds it in. */
    public static final String FILE = "compute.json";
    /** The ramp of the app's SQL mix. */
    public static final String MIX = "mix";
    /** The ramp of a trivial statement (SELECT 1), for PgBouncer's own ceiling. */
    public static final String TRIVIAL = "select1";

    public ComputeKnee {
        if (kind == null) throw new IllegalArgumentException("compute knee: kind is required");
        if (resource == null) resource = Resource.NONE;
        points = points == null ? List.of() : List.copyOf(points);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** What saturated at the plateau. */
    public enum Resource {
        /** Postgres used its compute size's CPU. */
        POSTGRES_CPU("postgres-cpu"),
        /** PgBouncer's one thread was near a whole core. */
        PGBOUNCER("pgbouncer"),
        /** This machine: fewer cores than the compute size, or its CPU busy before either did. */
        TEST_MACHINE("test-machine"),
        /** Throughput levelled off with no CPU at its limit (locks, WAL flushes, round trips). */
        CONTENTION("contention"),
        /** Nothing saturated within the ramp, or not measured. */
        NONE("none");

        private final String id;

        Resource(String id) { this.id = id; }

        @JsonValue
        public String id() { return id; }
    }

    /**
     * One measured window of a ramp.
     *
     * @param ramp           {@link #MIX} or {@link #TRIVIAL}
     * @param clients        closed-loop clients (each one connection to PgBouncer, no think time)
     * @param replicate      the window's number within its level (1-based)
     * @param seconds        the window's length
     * @param transactions   requests completed in it
     * @param statements     round trips completed in it
     * @param errors         requests that failed
     * @param throughput     transactions / seconds
     * @param postgresCores  CPU the Postgres container used (cores); null when not readable
     * @param pgbouncerCores CPU the PgBouncer container used (cores); null when not readable
     * @param postgresThrottled share of CFS periods in which the kernel throttled Postgres; null when not readable
     * @param injectorCores  CPU this JVM (the load generator) used
     * @param machineBusy    share of the machine's CPU busy (every process, other users' too); null when not readable
     */
    public record RampPoint(String ramp, int clients, int replicate, double seconds, long transactions, long statements, long errors,
                            double throughput, Double postgresCores, Double pgbouncerCores, Double postgresThrottled,
                            Double injectorCores, Double machineBusy) {
        public RampPoint {
            if (clients < 1) throw new IllegalArgumentException("a ramp point needs at least one client, was " + clients);
            if (!(seconds > 0)) throw new IllegalArgumentException("a ramp point's window must last > 0 s, was " + seconds);
        }

        /** A window from its counts: throughput is derived. */
        public static RampPoint of(String ramp, int clients, int replicate, double seconds, long transactions, long statements, long errors,
                                   Double postgresCores, Double pgbouncerCores, Double postgresThrottled, Double injectorCores, Double machineBusy) {
            return new RampPoint(ramp, clients, replicate, seconds, transactions, statements, errors, transactions / seconds,
                    postgresCores, pgbouncerCores, postgresThrottled, injectorCores, machineBusy);
        }
    }

    /** The USL fit of the mix ramp: X(N) = lambda N / (1 + sigma (N - 1) + kappa N (N - 1)). */
    public record Usl(double sigma, double kappa, double lambda, double rSquared, Double peakConcurrency) {}

    /**
     * PgBouncer's own ceiling from the trivial ramp: measured when its thread reached most of a core,
     * else estimated by the utilisation law (statements a second per core it used).
     *
     * @param statementsPerSecond the ceiling, round trips a second
     * @param reached             whether the ramp drove PgBouncer's thread near a whole core
     * @param stores              the same ceiling in stores (through the mix's round trips per request)
     * @param cores               PgBouncer's CPU at the trivial ramp's top
     * @param how                 how it was obtained, in words
     */
    public record PgBouncerCeiling(Double statementsPerSecond, boolean reached, Double stores, Double cores, String how) {}

    /** Not measured, and why. */
    public static ComputeKnee notMeasured(String reason, double perStoreTps) {
        return new ComputeKnee(MeasuredKind.NONE, null, null, null, Resource.NONE, null, null, null, null, perStoreTps,
                null, null, null, null, Runtime.getRuntime().availableProcessors(), null, null, List.of(), List.of(), reason);
    }

    /** The one line the report and the study print. */
    public String line() {
        if (kind == MeasuredKind.NONE) return "not measured (" + reason + ")";
        String where = switch (kind) {
            case KNEE -> "≈ " + Numbers.stores(stores) + " stores (95 % " + Numbers.stores(low) + "-" + Numbers.stores(high) + ")";
            default -> "≥ " + Numbers.stores(stores) + " stores (" + kind.id() + ")";
        };
        return where + "; saturated: " + saturated + "; X_max " + Numbers.num(throughputMax == null ? null : (double) Math.round(throughputMax))
                + " requests/s, a store sending " + Numbers.num(perStoreTps * 3600) + " an hour";
    }

    /** The compute knee a run folder holds, or null when it has none. */
    public static ComputeKnee read(Path runDir) {
        if (runDir == null) return null;
        Path f = runDir.resolve(FILE);
        if (!Files.isRegularFile(f)) return null;
        try {
            return Json.JSON.readValue(f.toFile(), ComputeKnee.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(f + " is not a storecap compute knee: " + e.getMessage()
                    + " (delete it, or measure again with ./storecap model compute)");
        }
    }

    /** Writes it into a run folder (creating the folder), whole or not at all. */
    public void write(Path runDir) throws IOException {
        Files.createDirectories(runDir);
        Path tmp = runDir.resolve(FILE + ".tmp");
        Json.JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, runDir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}

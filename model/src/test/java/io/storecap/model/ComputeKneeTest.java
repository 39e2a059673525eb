package io.storecap.model;

import io.storecap.model.ComputeKnee.RampPoint;
import io.storecap.model.ComputeKnee.Resource;
import io.storecap.model.capacity.ComputeKnees;
import io.storecap.model.queue.ThroughputCeiling;
import io.storecap.model.queue.UslFit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pooled claim's compute knee from ramp points: the knee in stores is X_max over the per-store
 * demand, with X_max's interval; the saturated resource is named from the CPU readings at the
 * plateau; a machine smaller than the compute size, or busy, gives a lower bound, never a knee;
 * compute.json round-trips.
 */
class ComputeKneeTest {
    static final double PER_STORE = 104 / 3600.0; // the default profile's peak: 60 + 30 + 10 + 4 an hour
    static final int[] LEVELS = {1, 2, 4, 8, 16, 32, 64};

    /** A mix ramp from a USL with its peak near 740 requests/s, CPU readings as given, and a trivial ramp. */
    static List<RampPoint> points(double pgCores, double bouncerCores, double busy) {
        Random r = new Random(42);
        List<RampPoint> ps = new ArrayList<>();
        for (int n : LEVELS)
            for (int k = 1; k <= 3; k++) {
                double x = UslFit.throughput(100, 0.05, 0.002, n) * (1 + 0.03 * r.nextGaussian());
                double load = Math.min(1, x / 700);
                ps.add(RampPoint.of(ComputeKnee.MIX, n, k, 2, Math.round(x * 2), Math.round(x * 2 * 1.6), 0,
                        pgCores * load, bouncerCores * load, 0.8 * load, 0.3 * load, busy * load));
            }
        for (int n : new int[]{1, 4, 16, 64})
            for (int k = 1; k <= 3; k++) {
                double x = Math.min(4000, 1000.0 * n);
                ps.add(RampPoint.of(ComputeKnee.TRIVIAL, n, k, 2, Math.round(x * 2), Math.round(x * 2), 0, 0.25, 0.1 * x / 4000, null, 0.3, 0.5));
            }
        return ps;
    }

    static ComputeKnees.Inputs inputs(List<RampPoint> ps, double asked, double applied) {
        return new ComputeKnees.Inputs(PER_STORE, asked, applied, 90, 2, ps, 7, 200, List.of("the dashboard is left out"));
    }

    @Test
    void postgresAtItsQuotaGivesAKneeInStoresWithItsInterval() {
        ComputeKnee k = ComputeKnees.evaluate(inputs(points(0.25, 0.1, 0.5), 0.25, 0.25));
        assertEquals(MeasuredKind.KNEE, k.kind());
        assertEquals(Resource.POSTGRES_CPU, k.resource());
        assertTrue(k.saturated().startsWith("Postgres CPU at 0.25 vCPU"), k.saturated());
        double truth = ThroughputCeiling.ceiling(100, 0.05, 0.002);
        assertEquals(truth, k.throughputMax(), 0.05 * truth);
        assertEquals(k.throughputMax() / PER_STORE, k.stores(), 1e-6, "stores = X_max / per-store demand");
        assertTrue(k.low() < k.stores() && k.stores() < k.high(), k.low() + " < " + k.stores() + " < " + k.high());
        assertTrue(k.low() <= truth / PER_STORE && truth / PER_STORE <= k.high(), "the interval covers the truth");
        assertEquals(1.6, k.statementsPerTransaction(), 0.01);
        assertNotNull(k.usl());
        assertNotNull(k.pgbouncer());
        assertTrue(k.pgbouncer().how().startsWith("estimated"), "0.1 of a core is not PgBouncer's ceiling: " + k.pgbouncer().how());
        assertEquals(40_000, k.pgbouncer().statementsPerSecond(), 100, "4000/s at 0.1 core: 40,000/s at a whole core");
        assertTrue(k.notes().get(0).contains("dashboard"), "the runner's notes first");
        assertTrue(k.notes().stream().anyMatch(n -> n.contains("Postgres' compute saturates first")), k.notes().toString());
        assertTrue(k.line().startsWith("≈ ") && k.line().contains("Postgres CPU"), k.line());
        assertTrue(k.notes().stream().anyMatch(n -> n.startsWith("The curve is retrograde") && n.contains("at 64 clients")),
                "a peak inside the ramp (21.8 clients) is said to be retrograde: " + k.notes());
    }

    @Test
    void pgbouncerNearACoreIsNamedWhenPostgresHasCpuToSpare() {
        ComputeKnee k = ComputeKnees.evaluate(inputs(points(0.5, 0.95, 0.6), 2, 2));
        assertEquals(MeasuredKind.KNEE, k.kind());
        assertEquals(Resource.PGBOUNCER, k.resource());
        assertTrue(k.saturated().contains("single thread"), k.saturated());
    }

    @Test
    void theMachineIsNeverTheTiersKnee() {
        ComputeKnee small = ComputeKnees.evaluate(inputs(points(1.9, 0.2, 0.99), 3, 2));
        assertEquals(MeasuredKind.MACHINE_LIMITED, small.kind(), "2 cores cannot give 3 vCPU");
        assertEquals(Resource.TEST_MACHINE, small.resource());
        assertNull(small.high(), "a lower bound has no upper end");
        assertTrue(small.saturated().contains("fewer than the tier's 3 vCPU"), small.saturated());
        ComputeKnee busy = ComputeKnees.evaluate(inputs(points(0.1, 0.1, 0.97), 0.25, 0.25));
        assertEquals(MeasuredKind.MACHINE_LIMITED, busy.kind(), "Postgres below its quota on a busy machine");
        assertTrue(busy.saturated().contains("97 % busy"), busy.saturated());
        assertEquals(busy.throughputMax() / PER_STORE, busy.stores(), 1e-6);
        assertTrue(busy.line().startsWith("≥ "), busy.line());
    }

    @Test
    void aRampThatStopsShortIsALowerBound() {
        List<RampPoint> ps = new ArrayList<>();
        for (int n : new int[]{1, 2, 4, 8})
            for (int k = 1; k <= 2; k++) ps.add(RampPoint.of(ComputeKnee.MIX, n, k, 2, 200L * n, 300L * n, 0, 0.05, 0.01, null, 0.1, 0.2));
        ComputeKnee k = ComputeKnees.evaluate(inputs(ps, 1, 1));
        assertEquals(MeasuredKind.LOWER_BOUND, k.kind());
        assertEquals(800 / PER_STORE, k.stores(), 1, "the most carried (800/s), never the fit's asymptote");
        assertTrue(k.saturated().startsWith("nothing within the ramp"), k.saturated());
    }

    @Test
    void tooFewLevelsIsNotMeasuredWithTheReason() {
        List<RampPoint> ps = List.of(RampPoint.of(ComputeKnee.MIX, 1, 1, 2, 100, 100, 0, null, null, null, null, null),
                RampPoint.of(ComputeKnee.MIX, 2, 1, 2, 200, 200, 0, null, null, null, null, null));
        ComputeKnee k = ComputeKnees.evaluate(inputs(ps, 1, 1));
        assertEquals(MeasuredKind.NONE, k.kind());
        assertTrue(k.reason().contains("at least 3 levels"), k.reason());
        String m = assertThrows(IllegalArgumentException.class,
                () -> new ComputeKnees.Inputs(0, 1, 1, 90, 2, ps, 1, 100, List.of())).getMessage();
        assertTrue(m.contains("per-store demand"), m);
    }

    @Test
    void computeJsonRoundTrips(@TempDir Path dir) throws Exception {
        ComputeKnee k = ComputeKnees.evaluate(inputs(points(0.25, 0.1, 0.5), 0.25, 0.25));
        k.write(dir);
        assertEquals(k, ComputeKnee.read(dir));
        assertNull(ComputeKnee.read(dir.resolve("absent")), "no file, no knee");
        Files.writeString(dir.resolve(ComputeKnee.FILE), "{\"kind\": \"knee\", \"extra\": 1}");
        String m = assertThrows(IllegalArgumentException.class, () -> ComputeKnee.read(dir)).getMessage();
        assertTrue(m.contains("is not a storecap compute knee"), m);
        ComputeKnee none = ComputeKnee.notMeasured("needs Docker; --provider containers", PER_STORE);
        assertEquals("not measured (needs Docker; --provider containers)", none.line());
    }
}

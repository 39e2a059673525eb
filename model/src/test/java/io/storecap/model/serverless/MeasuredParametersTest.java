package io.storecap.model.serverless;

import io.storecap.model.ConnectionStats;
import io.storecap.model.InstanceObservation;
import io.storecap.model.LevelResult;
import io.storecap.model.RequestStats;
import io.storecap.model.Route;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calibration on simulated data with known parameters: levels of a simulated pool (random dispatch,
 * 1 s cold starts, a floor of 2 worker connections, 2 connections per instance) read back as the
 * service and the sampler report them; the calibration must recover each parameter. Tolerances:
 * function time and cold start within 5 % (they are averages over thousands of requests), connections
 * per instance within 5 %, the floor exactly (the workers' connections are constant), and the true
 * value inside every bootstrap interval.
 */
class MeasuredParametersTest {
    static final double S = 0.04, COLD = 1.0, TTL = 30, PER_STORE = 0.02;
    static final int PER_INSTANCE = 2, FLOOR = 2;

    /** One level: the simulated pool at {@code stores}, its measurements as a LevelResult carries them. */
    static LevelResult level(int stores, long seed) {
        double lambda = stores * PER_STORE;
        PoolSimulation.Result r = new PoolSimulation(lambda, S, TTL, PER_INSTANCE, 5, COLD, 300, 4 * TTL + 60, 0.5,
                Dispatch.RANDOM, FLOOR, 60).run(seed);
        double coldPer = r.coldStarts() == 0 ? 0 : r.coldStartSeconds() / r.coldStarts();
        InstanceObservation o = new InstanceObservation(r.functionSeconds(), coldPer, r.finished(), r.coldStarts(),
                r.instanceConnections(), new ConnectionStats(FLOOR, FLOOR, FLOOR, r.warmInstances().samples()));
        return new LevelResult(stores, 0, 300_000, lambda, r.achievedRate(), RequestStats.EMPTY, Map.of(), r.connections(),
                r.activeConnections(), ConnectionStats.EMPTY, ConnectionStats.EMPTY, r.warmInstances(), Map.of(), r.coldStarts(),
                0.1, 0.1, null, null, 1, seed, "stair", Map.of(), o);
    }

    static List<LevelResult> levels() {
        List<LevelResult> out = new ArrayList<>();
        long seed = 11;
        for (int stores : new int[]{250, 500, 1000, 2000, 4000}) out.add(level(stores, seed++));
        return out;
    }

    @Test
    void theCalibrationRecoversTheSimulatedParameters() {
        ServerlessParameters p = MeasuredParameters.read(levels(), PER_STORE, TTL, 5, Route.DIRECT, Dispatch.RANDOM, true);
        assertEquals(S, p.functionSeconds(), 0.05 * S, "function time");
        assertEquals(COLD, p.coldStartSeconds(), 0.05 * COLD, "cold start");
        assertEquals(PER_INSTANCE, p.connectionsPerInstance(), 0.05 * PER_INSTANCE, "connections per instance");
        assertEquals(FLOOR, p.floorConnections(), 1e-9, "floor");
        assertEquals(FLOOR, p.floorPeak(), 1e-9, "floor peak");
        assertEquals(PER_STORE, p.requestsPerStorePerSecond(), 1e-12, "the profile's rate is taken as given");
        assertEquals(Dispatch.RANDOM, p.dispatch());
    }

    @Test
    void withoutTheProfileTheRateComesFromTheAchievedArrivalsWithinFivePercent() {
        ServerlessParameters p = MeasuredParameters.read(levels(), null, TTL, 5, Route.DIRECT, Dispatch.RANDOM, true);
        assertEquals(PER_STORE, p.requestsPerStorePerSecond(), 0.05 * PER_STORE);
    }

    @Test
    void theOldRatioEstimatorChargesTheFloorToInstancesTheMeasuredOneDoesNot() {
        List<LevelResult> ls = levels();
        // the fit without instance measurements: all connections over warm instances
        ServerlessParameters old = ServerlessCalibration.fit(ls, TTL, 5, Route.DIRECT);
        ServerlessParameters now = MeasuredParameters.read(ls, PER_STORE, TTL, 5, Route.DIRECT, Dispatch.RANDOM, true);
        assertTrue(old.connectionsPerInstance() > now.connectionsPerInstance() + 0.05,
                "old " + old.connectionsPerInstance() + " vs measured " + now.connectionsPerInstance());
    }

    @Test
    void everyTrueParameterLiesInsideItsBootstrapInterval() {
        ParameterBootstrap b = ParameterBootstrap.of(levels(),
                ls -> MeasuredParameters.read(ls, PER_STORE, TTL, 5, Route.DIRECT, Dispatch.RANDOM, true));
        assertEquals(ParameterBootstrap.DRAWS, b.replicates().size());
        check(b.estimate(ServerlessParameters::functionSeconds), S, "function time");
        check(b.estimate(ServerlessParameters::coldStartSeconds), COLD, "cold start");
        // every simulated instance holds exactly 2: no level varies, so the interval is [2, 2]
        ParameterBootstrap.Estimate m = b.estimate(ServerlessParameters::connectionsPerInstance);
        assertEquals(PER_INSTANCE, m.low(), 1e-9);
        assertEquals(PER_INSTANCE, m.high(), 1e-9);
    }

    private static void check(ParameterBootstrap.Estimate e, double truth, String what) {
        assertTrue(e.low() < e.high(), what + ": the interval has width");
        // a 95 % interval from 5 levels: widened by 2 % of the value for the simulation's own bias
        assertTrue(e.low() <= truth * 1.02 && truth * 0.98 <= e.high(), what + " " + truth + " outside " + e);
    }

    @Test
    void levelsWithoutInstanceMeasurementsCannotBeRead() {
        List<LevelResult> ls = new ArrayList<>(levels());
        LevelResult l = ls.get(0);
        ls.set(0, new LevelResult(l.stores(), l.startEpochMs(), l.endEpochMs(), l.targetRps(), l.achievedRps(), l.requests(), l.byKind(),
                l.serverConnections(), l.serverActive(), l.poolerClients(), l.poolerWaiting(), l.warmInstances(), l.refusals(),
                l.coldStarts(), l.cpuMean(), l.cpuMax(), null, null, 1, null, "stair", Map.of()));
        assertTrue(!MeasuredParameters.canRead(ls));
        assertNotNull(MeasuredParameters.achievedRate(ls));
    }
}

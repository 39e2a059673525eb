package io.storecap.model.serverless;

import io.storecap.model.ConnectionStats;
import io.storecap.model.LevelResult;
import io.storecap.model.ModelSettings;
import io.storecap.model.RequestStats;
import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.RunResult;
import io.storecap.model.ServiceMode;
import io.storecap.model.Tier;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ServerlessModelTest {
    static final Tier FREE = new Tier("free", "Free", 100, 3, 0, 10000, 0, null);

    @Test
    void withoutTtlWarmInstancesAreTheBusyOnesAndPeaksGrowWithTheWindow() {
        assertEquals(3.0, ServerlessModel.meanWarmInstances(10, 0.3, 0), 1e-9, "Little: lambda S");
        double w10 = ServerlessModel.meanWarmInstances(10, 0.3, 10), w600 = ServerlessModel.meanWarmInstances(10, 0.3, 600);
        assertTrue(3 < w10 && w10 < w600, w10 + " " + w600);
        assertTrue(ServerlessModel.maxQuantile(10, 0.3, 3600, 0.95) >= ServerlessModel.maxQuantile(10, 0.3, 60, 0.95));
    }

    @Test
    void analyticWarmInstancesAgreeWithTheSimulation() {
        for (double[] c : new double[][]{{5, 0.3, 10}, {20, 0.3, 10}, {40, 0.2, 30}, {2, 0.5, 60}}) {
            PoolSimulation.Result sim = PoolSimulation.level(c[0], c[1], c[2], 1, 5, 1200).run(7);
            double model = ServerlessModel.meanWarmInstances(c[0], c[1], c[2]);
            assertEquals(sim.warmInstances().mean(), model, 0.12 * sim.warmInstances().mean() + 0.3,
                    "lambda " + c[0] + " S " + c[1] + " TTL " + c[2]);
        }
    }

    @Test
    void theSimulationIsDeterministicForASeedAndObeysLittlesLaw() {
        PoolSimulation s = PoolSimulation.level(20, 0.25, 10, 2, 5, 600);
        assertEquals(s.run(42), s.run(42));
        PoolSimulation.Result r = s.run(42);
        assertEquals(20, r.achievedRate(), 1.0);
        assertEquals(20 * 0.25 * 2, r.activeConnections().mean(), 0.6, "active connections = lambda x S x connections per request");
        assertEquals(2 * r.warmInstances().mean(), r.connections().mean(), 1e-9, "every warm instance holds its 2 connections");
        assertTrue(r.connections().max() >= r.connections().p95());
    }

    /** Levels measured by the simulation, as run.json would carry them. */
    static RunResult simulatedRun(double perStore, double functionSeconds, double ttl, int perRequest, int limit, int[] stores) {
        List<LevelResult> levels = new ArrayList<>();
        List<Integer> stair = new ArrayList<>();
        for (int i = 0; i < stores.length; i++) {
            double lambda = stores[i] * perStore;
            PoolSimulation.Result r = PoolSimulation.level(lambda, functionSeconds, ttl, perRequest, limit, 600).run(1000 + i);
            RequestStats rs = new RequestStats(r.requests(), r.requests(), 0, 50, 40, 90, 120, 300);
            levels.add(new LevelResult(stores[i], 0, 600_000, lambda, r.achievedRate(), rs, Map.of(), r.connections(),
                    r.activeConnections(), ConnectionStats.EMPTY, ConnectionStats.EMPTY, r.warmInstances(), Map.of(),
                    r.coldStarts(), 0.3, 0.5));
            stair.add(stores[i]);
        }
        RunConfig cfg = new RunConfig("free-direct", FREE, Route.DIRECT, ServiceMode.SERVERLESS, limit, ttl, 0, stair, 610, 10, "local");
        return new RunResult("sim", cfg, null, Map.of(), levels, null, null, null, 0, 1, List.of());
    }

    @Test
    void calibrationRecoversTheParametersOfItsOwnSimulation() {
        double perStore = 0.05, functionSeconds = 0.3, ttl = 10;
        int perRequest = 2;
        RunResult run = simulatedRun(perStore, functionSeconds, ttl, perRequest, 5, new int[]{40, 100, 200, 400, 800});
        ServerlessCalibration c = ServerlessCalibration.calibrate(run, ModelSettings.defaults());
        assertNotNull(c);
        ServerlessParameters p = c.parameters();
        assertEquals(perStore, p.requestsPerStorePerSecond(), 0.03 * perStore);
        assertEquals(functionSeconds, p.functionSeconds(), 0.15 * functionSeconds, "function time from warm instances");
        assertEquals(perRequest, p.connectionsPerInstance(), 0.01);
        assertEquals(perRequest * functionSeconds, p.connectionSecondsPerRequest(), 0.05 * perRequest * functionSeconds);
        assertEquals(5, c.levelsUsed());
        assertTrue(c.rmsLogErrorWarm() < 0.15, "fit quality " + c.rmsLogErrorWarm());
    }

    @Test
    void whatIfsAtProductionSettingsAreFlaggedAsExtrapolations() {
        RunResult run = simulatedRun(0.05, 0.3, 10, 2, 5, new int[]{40, 100, 200, 400});
        ServerlessCalibration c = ServerlessCalibration.calibrate(run, ModelSettings.defaults());
        ServerlessCalibration.WhatIf prod = c.whatIfs().get(1);
        assertEquals(5000, prod.stores());
        assertTrue(prod.extrapolated());
        assertTrue(prod.extrapolation().stream().anyMatch(s -> s.contains("12.5x the largest measured (400)")), prod.extrapolation().toString());
        assertTrue(prod.extrapolation().stream().anyMatch(s -> s.contains("idle TTL 600 s")), prod.extrapolation().toString());
        assertEquals(5000 * 0.05, prod.prediction().arrivalRate(), 0.05 * 250);
        ServerlessCalibration.WhatIf same = c.whatIf("as measured", 200, 1, 10, 5, FREE);
        assertFalse(same.extrapolated(), same.extrapolation().toString());
        // a longer TTL keeps more instances warm, a smaller connection_limit fewer connections: fewer stores fit
        int atMeasured = stores(c, "idleTtlSeconds", 10), at600 = stores(c, "idleTtlSeconds", 600);
        assertTrue(at600 < atMeasured, at600 + " < " + atMeasured);
        assertTrue(stores(c, "connectionLimit", 1) > stores(c, "connectionLimit", 5));
        assertTrue(stores(c, "rateMultiplier", 2) < stores(c, "rateMultiplier", 1));
    }

    @Test
    void storesAtLimitIsTheLargestStoreCountWithinTheLimit() {
        ServerlessParameters p = new ServerlessParameters(0.05, 0.3, 2, 0.6, 10, 5);
        int s = ServerlessModel.storesAtLimit(p, 97, 3600, 0, 100, 100_000);
        assertTrue(ServerlessModel.predict(p, s, 3600, 0).peakConnectionsP95() <= 97);
        assertTrue(ServerlessModel.predict(p, s + 1, 3600, 0).peakConnectionsP95() > 97);
    }

    @Test
    void aServerRunIsNotCalibrated() {
        RunResult run = simulatedRun(0.05, 0.3, 10, 2, 5, new int[]{40, 100});
        RunConfig c = run.config();
        RunResult server = new RunResult("s", new RunConfig(c.id(), c.tier(), c.route(), ServiceMode.SERVER, 5, 10, 0, c.levels(), 610, 10, null),
                null, null, run.levels(), null, null, null, 0, 1, null);
        assertNull(ServerlessCalibration.calibrate(server, ModelSettings.defaults()));
    }

    static int stores(ServerlessCalibration c, String variable, double value) {
        return c.sensitivity().stream().filter(r -> r.variable().equals(variable) && r.value() == value).findFirst().orElseThrow().storesOrCeiling();
    }

    @Test
    void aStudyCarriesTheCalibrationIntoSummaryJson() throws Exception {
        RunResult run = simulatedRun(0.05, 0.3, 10, 2, 5, new int[]{40, 100, 200, 400});
        var claim = new io.storecap.model.Claim("free-direct", "free", Route.DIRECT, new io.storecap.model.ClaimedRange(20, 25), null);
        var sm = io.storecap.model.study.CapacityModel.evaluate(List.of(claim), Map.of("free", FREE), List.of(run), ModelSettings.defaults());
        assertEquals(1, sm.serverless().size());
        assertEquals("free-direct", sm.serverless().get(0).configurationId());
        String json = io.storecap.model.Json.JSON.writeValueAsString(sm);
        assertEquals(sm, io.storecap.model.Json.JSON.readValue(json, io.storecap.model.study.StudyModel.class));
        assertTrue(json.contains("\"whatIfs\"") && json.contains("\"sensitivity\""));
    }
}

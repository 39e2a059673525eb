package io.storecap.model.whatif;

import io.storecap.model.ConnectionStats;
import io.storecap.model.LevelResult;
import io.storecap.model.ModelSettings;
import io.storecap.model.RequestStats;
import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.RunResult;
import io.storecap.model.ServiceMode;
import io.storecap.model.Tier;
import io.storecap.model.TrafficProfile;
import io.storecap.model.serverless.PoolSimulation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The what-if against measurements with a known truth: levels simulated by {@link PoolSimulation}
 * (per-store rate 0.05/s, function time 0.3 s, idle TTL 10 s, 2 connections per request), the model
 * calibrated on some of them, then asked about a level it was fitted on and about one it never saw.
 */
class WhatIfTest {
    static final Tier FREE = new Tier("free", "Free", 100, 3, 0, 10000, 0, null);
    static final double PER_STORE = 0.05, FUNCTION_S = 0.3, TTL = 10;
    static final int PER_REQUEST = 2, LIMIT = 5;

    static LevelResult level(int stores, long seed) {
        double lambda = stores * PER_STORE;
        PoolSimulation.Result r = PoolSimulation.level(lambda, FUNCTION_S, TTL, PER_REQUEST, LIMIT, 600).run(seed);
        RequestStats rs = new RequestStats(r.requests(), r.requests(), 0, 40, 30, 60 + stores / 20.0, 90, 200);
        return new LevelResult(stores, 0, 600_000, lambda, r.achievedRate(), rs, Map.of(), r.connections(),
                r.activeConnections(), ConnectionStats.EMPTY, ConnectionStats.EMPTY, r.warmInstances(), Map.of(),
                r.coldStarts(), 0.3, 0.5);
    }

    static RunResult run(String id, int... stores) {
        List<LevelResult> levels = new ArrayList<>();
        List<Integer> stair = new ArrayList<>();
        for (int i = 0; i < stores.length; i++) { levels.add(level(stores[i], 1000 + i)); stair.add(stores[i]); }
        RunConfig cfg = new RunConfig(id, FREE, Route.DIRECT, ServiceMode.SERVERLESS, LIMIT, TTL, 0, stair, 610, 10, "local");
        return new RunResult(id, cfg, new TrafficProfile("t", "peak", Map.of("all", new TrafficProfile.Rate(0, 180, null)), null, null, null, null, null, null), Map.of(), levels,
                null, null, null, 0, 1, List.of());
    }

    @Test
    void predictsAMeasuredLevelItWasFittedOnAndOneItNeverSawWithinItsInterval() {
        RunResult fitted = run("free-direct", 40, 100, 200, 400);
        WhatIfAnswer onFitted = WhatIf.answer(WhatIfQuery.of("free", Route.DIRECT, 200), List.of(fitted), Map.of("free", FREE), ModelSettings.defaults());
        double measured200 = fitted.levels().get(2).serverConnections().max();
        assertTrue(onFitted.serverConnections().contains(measured200),
                "200 stores (fitted): measured " + measured200 + " in " + onFitted.serverConnections());
        assertFalse(onFitted.extrapolated(), onFitted.extrapolation().toString());

        LevelResult unseen = level(800, 77); // a level of the same truth the fit never saw
        WhatIfAnswer onUnseen = WhatIf.answer(WhatIfQuery.of("free", Route.DIRECT, 800), List.of(fitted), Map.of("free", FREE), ModelSettings.defaults());
        assertTrue(onUnseen.serverConnections().contains(unseen.serverConnections().max()),
                "800 stores (not fitted): measured " + unseen.serverConnections().max() + " in " + onUnseen.serverConnections());
        assertTrue(onUnseen.extrapolated(), "800 stores lies beyond the measured 400");
        assertTrue(onUnseen.extrapolation().get(0).contains("2.0x the largest measured (400)"), onUnseen.extrapolation().toString());
        // the interval is an interval, not a point that happens to match
        assertTrue(onUnseen.serverConnections().high() - onUnseen.serverConnections().low() >= 2);
        assertTrue(onUnseen.serverConnections().high() < 2 * unseen.serverConnections().max(), "interval not uselessly wide: " + onUnseen.serverConnections());
    }

    @Test
    void longerTtlsMoreConnectionsFewerStoresAndTheDistanceIsNamed() {
        RunResult fitted = run("free-direct", 40, 100, 200, 400);
        Map<String, Tier> tiers = Map.of("free", FREE);
        WhatIfAnswer measured = WhatIf.answer(WhatIfQuery.of("free", Route.DIRECT, 200), List.of(fitted), tiers, null);
        WhatIfAnswer prod = WhatIf.answer(WhatIfQuery.of("free", Route.DIRECT, 200).withIdleTtlSeconds(300.0), List.of(fitted), tiers, null);
        assertTrue(prod.serverConnections().point() > measured.serverConnections().point());
        assertTrue(prod.thresholdStores() < measured.thresholdStores());
        assertTrue(prod.extrapolation().stream().anyMatch(e -> e.contains("idle TTL 5 min was not measured")), prod.extrapolation().toString());
        assertNotNull(measured.p95Ms());
        assertTrue(measured.p95Basis().startsWith("measured p95"));
        String text = WhatIf.text(prod);
        assertTrue(text.contains("WARNING: extrapolation"), text);
        // a profile with twice the per-store requests doubles the arrival rate
        WhatIfAnswer busy = WhatIf.answer(WhatIfQuery.of("free", Route.DIRECT, 200)
                .withProfile(new TrafficProfile("busy", "peak", Map.of("all", new TrafficProfile.Rate(0, 360, null)), null, null, null, null, null, null)), List.of(fitted), tiers, null);
        assertEquals(2 * measured.arrivalRate(), busy.arrivalRate(), 1e-9);
    }

    @Test
    void badQuestionsAreRefusedWithTheFix() {
        RunResult fitted = run("free-direct", 40, 100, 200, 400);
        Map<String, Tier> tiers = Map.of("free", FREE);
        var e = assertThrows(IllegalArgumentException.class,
                () -> WhatIf.answer(WhatIfQuery.of("gold", Route.DIRECT, 10), List.of(fitted), tiers, null));
        assertTrue(e.getMessage().contains("use one of free"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> WhatIf.answer(WhatIfQuery.of("free", Route.DIRECT, 10).withPattern("client-per-request"), List.of(fitted), tiers, null));
        assertTrue(e.getMessage().contains("was not measured") && e.getMessage().contains("omit --pattern"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> WhatIf.answer(WhatIfQuery.of("free", Route.POOLED, 10), List.of(fitted), tiers, null));
        assertTrue(e.getMessage().contains("pooled route"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WhatIfQuery.of("free", Route.DIRECT, 0));
    }
}

package io.storecap.model.study;

import io.storecap.model.Claim;
import io.storecap.model.ClaimedRange;
import io.storecap.model.ConnectionStats;
import io.storecap.model.InstanceObservation;
import io.storecap.model.LevelResult;
import io.storecap.model.ModelSettings;
import io.storecap.model.Numbers;
import io.storecap.model.RequestStats;
import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.RunResult;
import io.storecap.model.ServiceMode;
import io.storecap.model.Tier;
import io.storecap.model.TierCapacity;
import io.storecap.model.TrafficProfile;
import io.storecap.model.explain.Condition;
import io.storecap.model.serverless.Dispatch;
import io.storecap.model.serverless.PoolSimulation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One model, one number: for a direct claim calibrated on measured levels, the tier table, the
 * explanation's as-built condition at the run's idle TTL and the verdict's model clause quote the same
 * threshold with the same interval.
 */
class OneModelTest {
    static final Tier FREE = new Tier("free", "Free", 100, 3, 90, 10000, 0, null);
    static final double RATE = 0.03, S = 0.03, COLD = 1.0, TTL = 300;

    static LevelResult level(int stores, long seed) {
        double lambda = stores * RATE;
        PoolSimulation.Result r = new PoolSimulation(lambda, S, TTL, 1, 5, COLD, 200, 60, 0.5, Dispatch.RANDOM, 2, 30).run(seed);
        InstanceObservation o = new InstanceObservation(r.functionSeconds(), COLD, r.finished(), r.coldStarts(), r.instanceConnections(),
                new ConnectionStats(2, 2, 2, r.warmInstances().samples()));
        RequestStats rs = new RequestStats(r.requests(), r.requests(), 0, 40, 30, 60, 90, 200);
        return new LevelResult(stores, 0, 200_000, lambda, r.achievedRate(), rs, Map.of(), r.connections(), r.activeConnections(),
                ConnectionStats.EMPTY, ConnectionStats.EMPTY, r.warmInstances(), Map.of(), r.coldStarts(), 0.3, 0.5, null, null, 1,
                seed, "stair", Map.of(), o);
    }

    static StudyModel model() {
        List<LevelResult> levels = new ArrayList<>();
        long seed = 3;
        for (int stores : new int[]{200, 500, 1000, 2000}) levels.add(level(stores, seed++));
        RunConfig cfg = new RunConfig("free-direct", FREE, Route.DIRECT, ServiceMode.SERVERLESS, 5, TTL, 1000,
                List.of(200, 500, 1000, 2000), 200, 0, "local", 20, 2, Map.of("dispatch", "random"));
        Map<String, TrafficProfile.Rate> rates = new LinkedHashMap<>();
        rates.put("cart-event", new TrafficProfile.Rate(RATE * 3600, RATE * 3600, "test"));
        TrafficProfile profile = new TrafficProfile("test", "peak", rates, Map.of(), null, null, null, null, null);
        RunResult run = new RunResult("free-direct", cfg, profile, Map.of(), levels, null, null, null, 0, 1, List.of());
        Claim claim = new Claim("free-direct", "free", Route.DIRECT, new ClaimedRange(20, 25), "20-25");
        return CapacityModel.evaluate(List.of(claim), Map.of("free", FREE), List.of(run), ModelSettings.defaults());
    }

    @Test
    void theTierTableTheExplanationAndTheReasonQuoteOneNumber() {
        StudyModel m = model();
        TierCapacity tier = m.tierCapacities().stream().filter(t -> t.tier().equals("free") && t.route() == Route.DIRECT).findFirst().orElseThrow();
        assertEquals("serverless-model", tier.source());
        assertNotNull(tier.stores());
        assertTrue(tier.low() < tier.stores() && tier.stores() < tier.high(), "an interval with width: " + tier);
        Condition asBuilt = m.explanations().get(0).conditions().stream()
                .filter(c -> c.pattern().equals("none") && c.connectionLimit() == 5 && c.holdTimeMultiplier() == 1 && c.idleTtlSeconds() == TTL)
                .findFirst().orElseThrow();
        assertEquals(tier.stores().intValue(), asBuilt.storesAtProfileRate());
        assertEquals(tier.low().intValue(), asBuilt.storesLow());
        assertEquals(tier.high().intValue(), asBuilt.storesHigh());
        String reason = m.claims().get(0).reason();
        String quoted = Numbers.stores(tier.stores()) + " (95 % " + Numbers.stores(tier.low()) + "-" + Numbers.stores(tier.high()) + ")";
        assertTrue(reason.contains(quoted), "the reason quotes " + quoted + ": " + reason);
        assertTrue(asBuilt.sentence().contains(quoted), asBuilt.sentence());
    }

    @Test
    void theCalibrationIsMeasuredAndCarriesItsIntervals() {
        var cal = model().serverless().get(0);
        assertTrue(cal.measured());
        assertEquals(1.0, cal.achievedOverProfile(), 0.05);
        assertEquals(S, cal.parameters().functionSeconds(), 0.05 * S);
        assertEquals(2, cal.parameters().floorConnections(), 1e-9);
        assertEquals(Dispatch.RANDOM, cal.parameters().dispatch());
        cal.sensitivity().forEach(r -> assertTrue(r.beyondSearch() || (r.low() != null && r.low() <= r.storesAtLimit()), r.toString()));
    }
}

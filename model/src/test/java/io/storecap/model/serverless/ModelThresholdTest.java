package io.storecap.model.serverless;

import io.storecap.model.ConnectionStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelThresholdTest {
    static ServerlessParameters p(double s) { return new ServerlessParameters(0.03, s, 1, 0.002, 300, 5, 1, Dispatch.RANDOM, 2, 2); }

    @Test
    void theIntervalSpansTheDrawsAndThePointMatchesTheDirectSearch() {
        List<ServerlessParameters> draws = new ArrayList<>();
        for (int i = 0; i < 40; i++) draws.add(p(0.025 + 0.0005 * i));
        ModelThreshold t = ModelThreshold.of(new ParameterBootstrap(p(0.035), draws), 97, 0, 3600, 100, 100_000);
        int direct = ServerlessModel.storesAtLimit(p(0.035), 97, 3600, 0, 100, 100_000);
        assertEquals(direct, t.stores());
        assertTrue(t.low() < t.stores() && t.stores() < t.high(), t.toString());
        // a longer function time holds fewer stores: the slowest draw bounds the low end
        assertEquals(ServerlessModel.storesAtLimit(draws.get(38), 97, 3600, 0, 100, 100_000), t.low(), 0.02 * t.low());
    }

    @Test
    void beyondTheSearchIsCensoredNeverTheCeiling() {
        ServerlessParameters tiny = new ServerlessParameters(1e-7, 0.001, 1, 0.001, 300, 5);
        ModelThreshold t = ModelThreshold.of(ParameterBootstrap.pointOnly(tiny), 97, 0, 3600, 100, 100_000);
        assertTrue(t.beyondSearch());
        assertNull(t.stores());
        assertNull(t.high());
        assertTrue(t.text(100_000).startsWith("> 100,000"), t.text(100_000));
    }

    @Test
    void theRampsColdStartStormSetsAFreshPoolAtHighRates() {
        // 400 requests/s ramped over 4 s with a 1 s cold start: about 400 x 1 / 8 = 50 instances start before the first is free
        ServerlessParameters q = new ServerlessParameters(1, 0.03, 1, 0.03, 1e6, 5, 1, Dispatch.RANDOM, 0, 0);
        int withRamp = InstanceDynamics.freshPoolPeak(400, q, 4, 20, 0.5);
        int steady = InstanceDynamics.freshPoolPeak(400, q, 0, 20, 0.5);
        assertEquals(50, withRamp, 3);
        assertTrue(steady < 35, "without the storm: " + steady);
        // and the simulation of the same ramp from an empty pool agrees within a third
        var r = new PoolSimulation(400, 0.03, 1e6, 1, 5, 1, 20, 4, 0.1, Dispatch.RANDOM, 0, 4).run(3);
        assertEquals(1, withRamp / r.warmInstances().max(), 0.34, "model " + withRamp + " vs simulated " + r.warmInstances().max());
        assertTrue(ConnectionStats.EMPTY.max() == 0);
    }
}

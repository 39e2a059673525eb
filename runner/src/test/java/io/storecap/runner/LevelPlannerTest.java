package io.storecap.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Json;
import io.storecap.model.TrafficProfile;
import io.storecap.simulations.LevelPlan;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Levels sized by the information they must carry, and the search settings' validation. */
class LevelPlannerTest {
    static final TrafficProfile PROFILE = TrafficProfile.parse("""
            name: planner-test
            perStorePerHour:
              cart-event: {baseline: 36, peak: 36, reason: "test: 0.01 requests per store per second"}
            webhookTopics: {orders/create: 1}
            shopify: {timeoutSeconds: 5, maxAttempts: 3, backoffMs: [200, 400]}
            """, "test");

    static SearchSettings settings(String yaml) throws Exception {
        JsonNode n = Json.YAML.readTree(yaml);
        return SearchSettings.parse(n, "study.yaml: modes.quick.search");
    }

    @Test
    void theTimeScaleKeepsTheInjectorNearItsTargetRateWithinItsBounds() throws Exception {
        LevelPlanner p = new LevelPlanner(settings("{targetRps: 400, minTimeScale: 0.25, maxTimeScale: 10}"), PROFILE, 250);
        assertEquals(0.25, p.timeScale(1_000), 1e-9, "10 req/s: the floor");
        assertEquals(2.5, p.timeScale(100_000), 1e-9, "1000 req/s production, 400 emulated");
        assertEquals(10, p.timeScale(10_000_000), 1e-9, "the ceiling");
    }

    @Test
    void aLevelCarriesEnoughRequestsToHoldAfterARampingSettle() throws Exception {
        LevelPlanner p = new LevelPlanner(settings("{targetRps: 400, minLevelSeconds: 10, maxLevelSeconds: 30}"), PROFILE, 250);
        List<LevelPlan> plan = p.plan(100_000, "bisect", 7);
        assertEquals("settle", plan.get(0).phase());
        assertTrue(LevelPlanner.ramps(plan.get(0)) && !LevelPlanner.ramps(plan.get(1)));
        assertEquals(4 * 0.25 * 2.5, plan.get(0).seconds(), 1e-9, "four cold starts at k = 2.5");
        double rate = 100_000 * 0.01 / plan.get(1).timeScale();
        assertTrue(rate * plan.get(1).seconds() >= 1.25 * 299, "the measured part expects 1.25 x 299 requests");
        assertEquals(8, plan.get(1).seed(), "each part has its own seed");
    }

    @Test
    void aLoadTooLowToCertifyIsAShortScoutUnlessATargetNamesIt() throws Exception {
        LevelPlanner p = new LevelPlanner(settings("{targetRps: 400, minLevelSeconds: 10, maxLevelSeconds: 30}"), PROFILE, 250);
        // 25 stores: 0.25 req/s, 1 req/s at k = 0.25; 374 requests would take 374 s
        assertEquals(10, p.plan(25, "ramp", 1).get(1).seconds(), 1e-9);
        assertEquals(30, p.plan(25, "target", 1, true).get(1).seconds(), 1e-9);
    }

    @Test
    void aBadSettingNamesItsFieldAndTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings("{bracketRatio: 1.0}"));
        assertTrue(e.getMessage().contains("modes.quick.search.bracketRatio must be in (1, 2], was 1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> settings("{minTimeScale: 5, maxTimeScale: 1}"));
        assertTrue(e.getMessage().contains("minTimeScale"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> settings("[1, 2]"));
        assertTrue(e.getMessage().contains("must be a mapping"), e.getMessage());
    }
}

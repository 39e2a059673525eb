package io.storecap.model.explain;

import io.storecap.model.Binding;
import io.storecap.model.Claim;
import io.storecap.model.ClaimedRange;
import io.storecap.model.ConnectionStats;
import io.storecap.model.Json;
import io.storecap.model.LevelResult;
import io.storecap.model.ModelSettings;
import io.storecap.model.RequestStats;
import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.RunResult;
import io.storecap.model.ServiceMode;
import io.storecap.model.Tier;
import io.storecap.model.serverless.PoolSimulation;
import io.storecap.model.study.CapacityModel;
import io.storecap.model.study.StudyModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A claim with a baseline run and a client-per-request variant (8 connections per instance instead of
 * 2), both simulated; Postgres refuses above the 97 usable connections.
 */
class ExplanationsTest {
    static final Tier FREE = new Tier("free", "Free", 100, 3, 0, 10000, 0, null);
    static final Claim CLAIM = new Claim("free-direct", "free", Route.DIRECT, new ClaimedRange(20, 25), null);

    static RunResult run(String runId, int perRequest, Map<String, String> options, long finished, int... stores) {
        List<LevelResult> levels = new ArrayList<>();
        List<Integer> stair = new ArrayList<>();
        for (int i = 0; i < stores.length; i++) {
            double lambda = stores[i] * 0.05;
            PoolSimulation.Result r = PoolSimulation.level(lambda, 0.3, 10, perRequest, perRequest, 600).run(500 + i);
            boolean over = r.connections().max() > FREE.usableConnections();
            ConnectionStats conns = over ? new ConnectionStats(r.connections().mean(), r.connections().p95(), FREE.usableConnections(), 6000)
                    : r.connections();
            RequestStats rs = new RequestStats(r.requests(), r.requests() - (over ? 50 : 0), over ? 50 : 0, 40, 30, 80, 90, 200);
            levels.add(new LevelResult(stores[i], 0, 600_000, lambda, r.achievedRate(), rs, Map.of(), conns,
                    r.activeConnections(), ConnectionStats.EMPTY, ConnectionStats.EMPTY, r.warmInstances(),
                    over ? Map.of("too_many_clients", 50L) : Map.of(), r.coldStarts(), 0.3, 0.5));
            stair.add(stores[i]);
        }
        RunConfig cfg = new RunConfig("free-direct", FREE, Route.DIRECT, ServiceMode.SERVERLESS, 5, 10, 0, stair, 610, 10, "local", 20, 2, options);
        return new RunResult(runId, cfg, null, Map.of(), levels, null, null, null, finished - 10, finished, List.of());
    }

    @Test
    void thePatternIsMeasuredBesideTheBaselineAndTheVerdictComesFromTheBaselineOnly() throws Exception {
        RunResult baseline = run("free-direct", 2, Map.of(), 1000, 25, 50, 100, 200, 400, 800);
        RunResult variant = run("free-direct~client-per-request", 8, Map.of("pattern", "client-per-request"), 2000, 25, 50, 100, 200, 400, 800);
        StudyModel m = CapacityModel.evaluate(List.of(CLAIM), Map.of("free", FREE), List.of(baseline, variant), ModelSettings.defaults());

        assertEquals("free-direct", m.claims().get(0).runId(), "the verdict comes from the baseline, though the variant finished later");
        assertEquals(1, m.explanations().size());
        ClaimExplanation x = m.explanations().get(0);
        assertEquals(1, x.patterns().size());
        PatternEffect e = x.patterns().get(0);
        assertEquals("client-per-request", e.pattern());
        assertEquals("free-direct~client-per-request", e.withPattern().runId());
        assertEquals("free-direct", e.withoutPattern().runId());
        assertNotNull(e.comparedAtStores());
        assertTrue(e.comparedAtStores() < 800, "compared below the variant's first refused level: " + e.comparedAtStores());
        assertTrue(e.withPattern().threshold() < e.withoutPattern().threshold(),
                e.withPattern().threshold() + " with, " + e.withoutPattern().threshold() + " without");
        assertEquals(e.withoutPattern().threshold() - e.withPattern().threshold(), e.storesGained(), 1e-9);
        assertTrue(e.withPattern().connectionsPerInstance() > 3 * e.withoutPattern().connectionsPerInstance(),
                "measured connections per instance " + e.withPattern().connectionsPerInstance() + " vs " + e.withoutPattern().connectionsPerInstance());
        assertTrue(e.withPattern().peakConnections() >= e.withoutPattern().peakConnections());
        assertTrue(x.findings().get(0).startsWith("Measured: "), x.findings().toString());
        assertTrue(x.findings().stream().anyMatch(f -> f.startsWith("Modelled: free-direct's 20-25 stores")), x.findings().toString());

        // the search: the pattern scenario holds fewer stores than the app as built, at every TTL
        for (double ttl : Explanations.TTL_GRID) {
            Condition none = find(x, "none", ttl), pat = find(x, "client-per-request", ttl);
            assertTrue(pat.storesAtProfileRate() < none.storesAtProfileRate(), "TTL " + ttl);
        }
        // longer TTL, fewer stores (monotone) for the app as built
        assertTrue(find(x, "none", 900).storesAtProfileRate() <= find(x, "none", 10).storesAtProfileRate());
        // a condition that holds at the profile's rate really puts the modelled threshold in the claimed range
        for (Condition c : x.conditions()) {
            if (c.rateFrom() != null) assertTrue(c.rateFrom() <= c.rateTo(), c.toString());
            if (c.holdsAtProfileRate())
                assertTrue(c.storesAtProfileRate() >= 20 && c.storesAtProfileRate() <= 25, c.toString());
        }
        String json = Json.JSON.writeValueAsString(m);
        assertEquals(m, Json.JSON.readValue(json, StudyModel.class), "explanations round-trip through JSON");
    }

    static Condition find(ClaimExplanation x, String pattern, double ttl) {
        return x.conditions().stream().filter(c -> c.pattern().equals(pattern) && c.idleTtlSeconds() == ttl && c.holdTimeMultiplier() == 1
                && c.connectionLimit() == 5).findFirst().orElseThrow(() -> new AssertionError(pattern + " " + ttl + " in " + x.conditions()));
    }

    @Test
    void aClaimWithoutVariantsStillGetsTheModelledConditions() {
        RunResult baseline = run("free-direct", 2, Map.of(), 1000, 25, 50, 100, 200, 400);
        StudyModel m = CapacityModel.evaluate(List.of(CLAIM), Map.of("free", FREE), List.of(baseline), ModelSettings.defaults());
        ClaimExplanation x = m.explanations().get(0);
        assertTrue(x.patterns().isEmpty());
        assertFalse(x.conditions().isEmpty());
        assertTrue(x.notes().stream().anyMatch(n -> n.contains("No anti-pattern was measured")), x.notes().toString());
    }

    @Test
    void aQueuedWebhookDelayAbove5sIsALimit() {
        RunResult r = run("free-direct", 2, Map.of("webhook-mode", "queued"), 1000, 25, 50, 100, 200);
        List<LevelResult> ls = new ArrayList<>();
        for (LevelResult l : r.levels())
            ls.add(new LevelResult(l.stores(), l.startEpochMs(), l.endEpochMs(), l.targetRps(), l.achievedRps(), l.requests(), l.byKind(),
                    l.serverConnections(), l.serverActive(), l.poolerClients(), l.poolerWaiting(), l.warmInstances(), l.refusals(),
                    l.coldStarts(), l.cpuMean(), l.cpuMax(), l.stores() >= 100 ? 7200.0 : 800.0, 9000.0));
        RunResult q = new RunResult(r.runId(), r.config(), r.profile(), r.environment(), ls, null, null, null, 0, 1, List.of());
        var res = CapacityModel.evaluate(List.of(CLAIM), Map.of("free", FREE), List.of(q), ModelSettings.defaults()).claims().get(0);
        assertEquals(Binding.WEBHOOK_DELAY, res.measured().binding());
        assertTrue(res.measured().low() < 100 && res.measured().high() > 50, "the knee lies between the last level under 5 s and the first over: " + res.measured());
        assertTrue(res.reason().contains("queued webhooks waited 7.2 s"), res.reason());
    }
}

package io.storecap.runner;

import io.storecap.environment.DatabaseUrl;
import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.Tier;
import io.storecap.model.TrafficProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A deployment's study settings: the cap's ceiling, time scale 1, the remote refusal; and the service settings env up shares with the harness. */
class ExternalTargetTest {
    static final Path CONFIG = Path.of("..", "config");
    static final TrafficProfile PROFILE = TrafficProfile.load(CONFIG.resolve("profile.yaml"));

    static ExternalTarget target(String url, boolean allowRemote, double maxRps) {
        return new ExternalTarget(URI.create(url), allowRemote, DatabaseUrl.parse("--db-url", "postgresql://monitor@127.0.0.1:5432/app"), null,
                "app", null, CONFIG.resolve("routes.yaml"), null, maxRps, 30, null, null, null);
    }

    @Test
    void theCapSetsTheSearchsCeilingWithRoomForPoissonPeaks() {
        ExternalTarget t = target("http://127.0.0.1:3000", false, 20);
        int ceiling = t.capStores(PROFILE);
        double rps = PROFILE.totalRps(ceiling);
        assertTrue(rps + 3 * Math.sqrt(rps) <= 20, "mean plus three standard deviations within the cap at " + ceiling);
        double above = PROFILE.totalRps(ceiling + 1);
        assertTrue(above + 3 * Math.sqrt(above) > 20, "the highest such store count");
        SearchSettings quick = StudyConfig.load(CONFIG.resolve("study.yaml")).quick().search();
        SearchSettings s = t.searchSettings(quick, PROFILE);
        assertEquals(1, s.minTimeScale());
        assertEquals(1, s.maxTimeScale(), "a deployment runs at production speed");
        assertEquals(ceiling, s.maxStores());
        assertEquals(Math.max(quick.maxLevelSeconds(), ExternalTarget.DEFAULT_MAX_LEVEL_SECONDS), s.maxLevelSeconds());
        assertTrue(s.targetStores().stream().allMatch(x -> x <= ceiling), "no target level above the ceiling: " + s.targetStores());
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class, () -> target("http://127.0.0.1:3000", false, 1).capStores(
                PROFILE.scaled(200)));
        assertTrue(low.getMessage().contains("--max-rps 1 is below what one store sends"), low.getMessage());
    }

    @Test
    void anotherMachineIsRefusedUnlessAllowedFromTheUrlsAlone() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> target("https://staging.example.invalid", false, 20));
        assertTrue(e.getMessage().startsWith("refusing --target: staging.example.invalid is not this machine"), e.getMessage());
        assertEquals("staging.example.invalid", target("https://staging.example.invalid", true, 20).baseUrl().getHost());
        for (String h : new String[]{"localhost", "127.0.0.1", "127.9.9.9", "[::1]"}) assertTrue(ExternalTarget.loopback(h), h);
        for (String h : new String[]{"10.0.0.1", "staging.internal", "127.0.0.1.example.com"}) assertFalse(ExternalTarget.loopback(h), h);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> target("http://127.0.0.1:3000", false, 5000)).getMessage()
                .contains("--max-rps must be between 1 and 2000"));
        assertFalse(target("http://127.0.0.1:3000", false, 20).toString().contains("secret"));
    }

    @Test
    void envUpsServiceRunsWithTheSettingsTheHarnessGivesIt() {
        Tier tier = new Tier("free", "Free", 100, 3, 90, 10000, 0, null);
        RunConfig c = RunConfig.builder("x", tier, Route.DIRECT).connectionLimit(5).idleTtlSeconds(300).coldStartMs(1000).functionMs(20)
                .dbLatencyMs(2).levels(List.of(10)).serviceOptions(Map.of("webhook-mode", "queued", "pattern", "cron-beside-pooler", "cron-jobs", "4")).build();
        assertEquals(Map.of("mode", "serverless", "connection-limit", "5", "idle-ttl-ms", "300000", "cold-start-ms", "1000",
                "function-ms", "20.0", "db-latency-ms", "2.0", "webhook-mode", "queued"), ServiceSettings.of(c),
                "the cron jobs beside the pooler are the harness's, not the service's");
    }

    @Test
    void extraHeadersAreCheckedBeforeAnythingIsSent() {
        ExternalTarget plain = target("http://127.0.0.1:3000", false, 20);
        assertTrue(plain.headers().isEmpty());
        assertEquals(Map.of("x-vercel-protection-bypass", "abc"), ExternalTarget.checkHeaders(Map.of("x-vercel-protection-bypass", " abc ")));
        for (String own : List.of("Authorization", "X-Shopify-Hmac-Sha256", "content-type", "Host")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExternalTarget.checkHeaders(Map.of(own, "x")));
            assertTrue(e.getMessage().contains("storecap sets " + own + " itself"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ExternalTarget.checkHeaders(Map.of("bad name", "x")));
        IllegalArgumentException split = assertThrows(IllegalArgumentException.class, () -> ExternalTarget.checkHeaders(Map.of("x-a", "1\r\nHost: evil")));
        assertTrue(split.getMessage().contains("line break"), split.getMessage());
    }
}

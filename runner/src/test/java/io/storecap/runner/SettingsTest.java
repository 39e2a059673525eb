package io.storecap.runner;

import io.storecap.model.Claim;
import io.storecap.model.ClaimedRange;
import io.storecap.model.ConfigSchema;
import io.storecap.model.Route;
import io.storecap.model.TrafficProfile;
import io.storecap.service.Webhooks;
import io.storecap.simulations.SimulationSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness's own inputs: profile, study file, stair, and the target guard. */
class SettingsTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void defaultProfileAnchorsWebhooksOnThePlansFigure() {
        TrafficProfile p = TrafficProfile.load(ROOT.resolve("config/profile.yaml"));
        // the plan: 10,000 webhooks/hour at 1000 stores at peak
        assertEquals(10_000.0 / 3600, p.rps("webhook", 1000), 1e-9);
        assertEquals(1.0, p.webhookTopics().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        assertTrue(p.perStorePerHour().values().stream().noneMatch(r -> r.reason().isBlank()), "every default has its reason");
        assertEquals(p.rps("dashboard", 10), p.rps("dashboard", 3000), "the dashboard does not grow with stores");
    }

    @Test
    void brokenProfilesNameTheFieldAndTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrafficProfile.parse("""
                perStorePerHour:
                  cart-events: {baseline: 1, peak: 2, reason: x}
                """, "p.yaml"));
        assertEquals("p.yaml: perStorePerHour.cart-events: unknown request kind; known kinds here: "
                + TrafficProfile.STORE_KINDS, e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrafficProfile.parse("""
                perStorePerHour:
                  webhook: {baseline: 10, peak: 2, reason: x}
                """, "p.yaml"));
        assertTrue(e.getMessage().contains("peak (2.0) is below baseline (10.0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrafficProfile.parse("""
                perStorePerHour:
                  webhook: {baseline: 1, peak: two, reason: x}
                """, "p.yaml"));
        assertTrue(e.getMessage().contains("webhook.peak must be a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrafficProfile.parse("""
                perStorePerHour:
                  webhook: {baseline: 1, peak: 2}
                """, "p.yaml"));
        assertTrue(e.getMessage().contains("reason is missing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrafficProfile.parse("perStorePerHour: [\n", "p.yaml"));
        assertTrue(e.getMessage().startsWith("p.yaml: not valid YAML"), e.getMessage());
    }

    @Test
    void everyStairGoesPastItsClaim(@TempDir Path dir) throws Exception {
        StudyConfig s = StudyConfig.load(ROOT.resolve("config/study.yaml"));
        for (boolean quick : new boolean[]{true, false}) {
            for (int top : new int[]{25, 440, 700, 2000}) {
                Claim c = new Claim("c", "free", Route.DIRECT, ClaimedRange.of(top, top), null);
                List<Integer> stair = s.stairFor(c, quick);
                assertTrue(stair.get(stair.size() - 1) > top, "stair " + stair + " passes " + top);
            }
        }
        Files.writeString(dir.resolve("s.yaml"), """
                modes:
                  quick: {ladder: [10, 5], levelSeconds: 10, settleSeconds: 2, idleTtlSeconds: 2}
                  full: {ladder: [10], levelSeconds: 10, settleSeconds: 2, idleTtlSeconds: 2}
                """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudyConfig.load(dir.resolve("s.yaml")));
        assertTrue(e.getMessage().contains("modes.quick.ladder must increase"), e.getMessage());
    }

    @Test
    void theSchemasListTheKindsTopicsAndPatternsTheParsersKnow() {
        var profile = ConfigSchema.PROFILE.schemaNode();
        assertEquals(new TreeSet<>(TrafficProfile.STORE_KINDS), names(profile.at("/properties/perStorePerHour/properties")));
        assertEquals(new TreeSet<>(TrafficProfile.GLOBAL_KINDS), names(profile.at("/properties/globalPerHour/properties")));
        assertEquals(new TreeSet<>(Webhooks.TOPICS), names(profile.at("/properties/webhookTopics/properties")));
        List<String> patterns = new ArrayList<>();
        ConfigSchema.STUDY.schemaNode().at("/properties/patterns/properties/list/items/enum").forEach(p -> patterns.add(p.asText()));
        assertEquals(StudyConfig.KNOWN_PATTERNS, patterns);
    }

    @Test
    void theProfileAndStudyFilesAreCheckedAgainstTheirSchemas(@TempDir Path dir) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrafficProfile.parse("""
                perStorePerHour:
                  webhook: {baseline: 1, peak: 2, reason: x}
                shopify: {maxAttempts: four}
                """, "p.yaml"));
        assertEquals("p.yaml: shopify.maxAttempts must be a whole number of attempts, 1..20, was 'four'", e.getMessage());
        // study.yaml: a misspelt key was silently ignored (and its default used) before the schema
        String study = Files.readString(ROOT.resolve("config/study.yaml")).replace("replicates: 5", "replicate: 5");
        Files.writeString(dir.resolve("study.yaml"), study);
        e = assertThrows(IllegalArgumentException.class, () -> StudyConfig.load(dir.resolve("study.yaml")));
        assertTrue(e.getMessage().startsWith(dir.resolve("study.yaml") + ": modes.full.search: unknown field 'replicate'; allowed fields are "
                + "replicates, bracketRatio,"), e.getMessage());
    }

    private static TreeSet<String> names(com.fasterxml.jackson.databind.JsonNode properties) {
        TreeSet<String> out = new TreeSet<>();
        properties.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void loadGoesToThisMachineUnlessTheUserSaysOtherwise() {
        assertDoesNotThrow(() -> SimulationSettings.checkTarget("http://127.0.0.1:8080", false));
        assertDoesNotThrow(() -> SimulationSettings.checkTarget("http://localhost:8080", false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulationSettings.checkTarget("https://staging.example.com", false));
        assertTrue(e.getMessage().contains("-Dstorecap.allowRemote=true"), e.getMessage());
        assertDoesNotThrow(() -> SimulationSettings.checkTarget("https://staging.example.com", true));
        Properties p = new Properties();
        p.setProperty("storecap.levels", "10,twenty");
        p.setProperty("storecap.profile", ROOT.resolve("config/profile.yaml").toString());
        e = assertThrows(IllegalArgumentException.class, () -> SimulationSettings.from(p));
        assertTrue(e.getMessage().startsWith("storecap.levels must be store counts"), e.getMessage());
    }
}

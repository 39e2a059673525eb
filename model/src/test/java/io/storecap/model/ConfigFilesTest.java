package io.storecap.model;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ConfigFilesTest {
    static final String CLAIMS = """
            claims:
              - id: free-direct
                tier: free
                route: direct
                claimed: {min: 20, max: 25}
              - id: launch-pooled
                tier: launch
                route: pooled
                claimed: {min: 1000}
                text: "1000+ stores"
            """;
    static final String TIERS = """
            tiers:
              - id: free
                maxConnections: 100
                reserved: 3
              - id: launch
                name: Launch
                maxConnections: 200
                monthlyCostUsd: 19
            """;

    static String err(Runnable r) {
        return assertThrows(ConfigException.class, r::run).getMessage();
    }

    @Test
    void theProjectsOwnConfigFilesParseAndAgree() {
        Path dir = Path.of("..", "config");
        if (!Files.isDirectory(dir)) dir = Path.of("config");
        ModelInputs in = ModelInputs.load(dir);
        assertEquals(List.of("free-direct", "free-pooled", "launch-direct", "launch-pooled", "scale-pooled"),
                in.claims().stream().map(Claim::id).toList());
        assertEquals(List.of("free", "launch", "scale", "neon-0.25cu", "neon-0.5cu", "neon-1cu", "neon-2cu", "neon-3cu"),
                List.copyOf(in.tiers().keySet()));
        assertEquals(97, in.tier("free").usableConnections());
        assertEquals(90, in.tier("free").poolerPoolSize());
        assertEquals(97, in.tier("neon-0.25cu").usableConnections());
        assertEquals(0.25, in.tier("neon-0.25cu").computeUnits());
        Claim launchDirect = in.claims().get(2);
        assertEquals(new ClaimedRange(360, 440), launchDirect.claimed());
        assertNull(in.claims().get(3).claimed().max());
        assertEquals(Route.POOLED, in.claims().get(1).route());
    }

    @Test
    void parsesFieldsAndDefaults() {
        List<Claim> claims = ClaimsFile.parse(CLAIMS, "claims.yaml");
        assertEquals("20-25 stores", claims.get(0).text());
        assertEquals("1000+ stores", claims.get(1).text());
        Map<String, Tier> tiers = TiersFile.parse(TIERS, "tiers.yaml");
        assertEquals(3, tiers.get("launch").reserved(), "Postgres' default reserve when omitted");
        assertEquals(180, tiers.get("launch").poolerPoolSize());
        assertEquals(10000, tiers.get("launch").poolerMaxClientConn());
        assertEquals("free", tiers.get("free").name());
    }

    @Test
    void aMistypedRouteNamesFileClaimFieldAndTheChoices() {
        String m = err(() -> ClaimsFile.parse(CLAIMS.replace("route: direct", "route: pooledd"), "claims.yaml"));
        assertEquals("claims.yaml: claim 'free-direct': route 'pooledd' is not one of direct, pooled", m);
    }

    @Test
    void anUnknownTierNamesTheClaimAndTheKnownTiers() {
        String m = err(() -> ModelInputs.parse(CLAIMS.replace("tier: launch", "tier: lanuch"), "claims.yaml", TIERS, "tiers.yaml"));
        assertTrue(m.startsWith("claims.yaml: claim 'launch-pooled': tier 'lanuch' is not defined in tiers.yaml"), m);
        assertTrue(m.contains("free, launch"), m);
    }

    @Test
    void duplicateIdsAreRejected() {
        String dupClaims = CLAIMS.replace("id: launch-pooled", "id: free-direct");
        assertTrue(err(() -> ClaimsFile.parse(dupClaims, "claims.yaml")).contains("claim 'free-direct' appears twice"));
        String dupTiers = TIERS.replace("id: launch", "id: free");
        assertTrue(err(() -> TiersFile.parse(dupTiers, "tiers.yaml")).contains("tier 'free' appears twice"));
    }

    @Test
    void claimedRangeMistakesSayWhatToWrite() {
        String approx = err(() -> ClaimsFile.parse(CLAIMS.replace("{min: 20, max: 25}", "\"~400\""), "claims.yaml"));
        assertTrue(approx.contains("claim 'free-direct': claimed must be {min: N, max: M}") && approx.contains("{min: 360, max: 440}"), approx);
        String text = err(() -> ClaimsFile.parse(CLAIMS.replace("min: 20", "min: twenty"), "claims.yaml"));
        assertTrue(text.contains("claim 'free-direct': claimed.min 'twenty' is not a whole number"), text);
        String swapped = err(() -> ClaimsFile.parse(CLAIMS.replace("{min: 20, max: 25}", "{min: 25, max: 20}"), "c.yaml"));
        assertTrue(swapped.startsWith("c.yaml: claim 'free-direct': claimed.max (20) is below claimed.min (25)"), swapped);
        String missing = err(() -> ClaimsFile.parse(CLAIMS.replace("    claimed: {min: 1000}\n", ""), "claims.yaml"));
        assertTrue(missing.contains("claim 'launch-pooled': claimed is missing"), missing);
    }

    @Test
    void unknownOrMissingFieldsAreNamed() {
        String typo = err(() -> TiersFile.parse(TIERS.replace("maxConnections: 200", "maxConnection: 200"), "tiers.yaml"));
        assertTrue(typo.startsWith("tiers.yaml: tier 'launch': unknown field 'maxConnection'"), typo);
        assertTrue(typo.contains("maxConnections"), "lists the allowed fields: " + typo);
        String noId = err(() -> ClaimsFile.parse(CLAIMS.replace("  - id: free-direct\n", "  - \n"), "claims.yaml"));
        assertTrue(noId.startsWith("claims.yaml: claim #1"), noId);
        String reserved = err(() -> TiersFile.parse(TIERS.replace("reserved: 3", "reserved: 100"), "tiers.yaml"));
        assertTrue(reserved.startsWith("tiers.yaml: tier 'free': reserved is 100"), reserved);
        String badId = err(() -> ClaimsFile.parse(CLAIMS.replace("id: free-direct", "id: Free Direct"), "claims.yaml"));
        assertTrue(badId.contains("id 'Free Direct' must be lower-case"), badId);
    }

    @Test
    void brokenYamlGivesTheLine() {
        String m = err(() -> ClaimsFile.parse("claims:\n  - id: a\n   tier: [free\n", "claims.yaml"));
        assertTrue(m.startsWith("claims.yaml: is not valid YAML at line"), m);
        String top = err(() -> ClaimsFile.parse("claim:\n  - id: a\n", "claims.yaml"));
        assertTrue(top.contains("must start with 'claims:'"), top);
        assertTrue(err(() -> TiersFile.parse("", "tiers.yaml")).startsWith("tiers.yaml: the file is empty"));
    }

    @Test
    void aMissingFileIsNamed() {
        String m = err(() -> ClaimsFile.load(Path.of("does-not-exist", "claims.yaml")));
        assertTrue(m.contains("claims.yaml") && m.contains("not found"), m);
    }
}

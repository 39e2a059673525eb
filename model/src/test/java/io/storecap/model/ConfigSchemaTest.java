package io.storecap.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The config files' JSON Schemas (config/schema): the project's own files pass, each schema rejects
 * an unknown key, a wrong type and a missing field in words that name the file and the field, and
 * the schemas are themselves valid draft 2020-12 schemas, documented for editors.
 */
class ConfigSchemaTest {
    static final Path CONFIG = Files.isDirectory(Path.of("..", "config")) ? Path.of("..", "config") : Path.of("config");

    static JsonNode configFile(String name) throws IOException {
        return Json.YAML.readTree(Files.readString(CONFIG.resolve(name + ".yaml")));
    }

    static String rejection(ConfigSchema schema, JsonNode doc) {
        return assertThrows(ConfigException.class, () -> schema.validate(doc, schema.name() + ".yaml")).getMessage();
    }

    @Test
    void everyConfigFileOfTheProjectValidates() throws IOException {
        for (ConfigSchema s : ConfigSchema.all()) {
            assertEquals(List.of(), s.problems(configFile(s.name())), "config/" + s.name() + ".yaml against " + s.fileName());
            assertDoesNotThrow(() -> s.validate(configFile(s.name()), s.name() + ".yaml"));
        }
    }

    @Test
    void everyConfigFileNamesItsSchemaForEditors() throws IOException {
        for (ConfigSchema s : ConfigSchema.all()) {
            String first = Files.readAllLines(CONFIG.resolve(s.name() + ".yaml")).get(0);
            assertEquals("# yaml-language-server: $schema=schema/" + s.fileName(), first);
        }
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                // claims.yaml
                Arguments.of(ConfigSchema.CLAIMS, "unknown key", edit(d -> obj(d, "/claims/0").put("colour", "red")),
                        "claims.yaml: claim 'free-direct': unknown field 'colour'; allowed fields are id, tier, route, claimed, text (check the spelling)"),
                Arguments.of(ConfigSchema.CLAIMS, "wrong type", edit(d -> obj(d, "/claims/1").putArray("claimed").add(500).add(700)),
                        "claims.yaml: claim 'free-pooled': claimed must be {min: N, max: M}"),
                Arguments.of(ConfigSchema.CLAIMS, "missing field", edit(d -> obj(d, "/claims/2").remove("route")),
                        "claims.yaml: claim 'launch-direct': route is missing; add e.g. 'route: pooled'"),
                // tiers.yaml
                Arguments.of(ConfigSchema.TIERS, "unknown key", edit(d -> obj(d, "/tiers/1").put("maxConection", 5)),
                        "tiers.yaml: tier 'launch': unknown field 'maxConection'; allowed fields are id, name, maxConnections,"),
                Arguments.of(ConfigSchema.TIERS, "wrong type", edit(d -> obj(d, "/tiers/0").putObject("reserved")),
                        "tiers.yaml: tier 'free': reserved must be a whole number, was a mapping"),
                Arguments.of(ConfigSchema.TIERS, "missing field", edit(d -> obj(d, "/tiers/2").remove("maxConnections")),
                        "tiers.yaml: tier 'scale': maxConnections is missing; add e.g. 'maxConnections: 100'"),
                // profile.yaml
                Arguments.of(ConfigSchema.PROFILE, "unknown key", edit(d -> obj(d, "/shopify").put("retries", 3)),
                        "profile.yaml: shopify: unknown field 'retries'; allowed fields are timeoutSeconds, maxAttempts, backoffMs"),
                Arguments.of(ConfigSchema.PROFILE, "wrong type", edit(d -> obj(d, "/perStorePerHour/webhook").put("peak", "ten")),
                        "profile.yaml: perStorePerHour.webhook.peak must be a number, was 'ten'"),
                Arguments.of(ConfigSchema.PROFILE, "missing field", edit(d -> obj(d, "/globalPerHour/dashboard").remove("reason")),
                        "profile.yaml: globalPerHour.dashboard.reason is missing; every default needs its reason"),
                // study.yaml
                Arguments.of(ConfigSchema.STUDY, "unknown key", edit(d -> obj(d, "/modes/full/search").put("replicate", 5)),
                        "study.yaml: modes.full.search: unknown field 'replicate'; allowed fields are replicates,"),
                Arguments.of(ConfigSchema.STUDY, "wrong type", edit(d -> obj(d, "/modes/quick").put("levelSeconds", "eight")),
                        "study.yaml: modes.quick.levelSeconds must be a number of seconds, was 'eight'"),
                Arguments.of(ConfigSchema.STUDY, "missing field", edit(d -> obj(d, "/modes/full").remove("ladder")),
                        "study.yaml: modes.full.ladder is missing; add e.g. 'ladder: [10, 25, 50, 100, 250, 700, 1500, 3000]'"),
                // gates.yaml
                Arguments.of(ConfigSchema.GATES, "unknown key", edit(d -> obj(d, "/gates/0").put("thresold", ">= 5")),
                        "gates.yaml: gate 1: unknown field 'thresold'; allowed fields are name, claim, threshold, verdict (check the spelling)"),
                Arguments.of(ConfigSchema.GATES, "wrong type", edit(d -> obj(d, "/gates/1").put("at_stores", "many")),
                        "gates.yaml: gate 2: field 'at_stores' must be a whole number of stores >= 1, was 'many'"),
                Arguments.of(ConfigSchema.GATES, "missing field", edit(d -> ((ObjectNode) d).remove("gates")),
                        "gates.yaml: field 'gates' is missing; the file needs a top-level 'gates:' list"),
                // routes.yaml
                Arguments.of(ConfigSchema.ROUTES, "unknown key", edit(d -> obj(d, "/routes/0").put("pth", "/x")),
                        "routes.yaml: kind 'cart-event': unknown field 'pth'; allowed fields are kind, method, path, body, auth, status (check the spelling)"),
                Arguments.of(ConfigSchema.ROUTES, "wrong type", edit(d -> obj(d, "/routes/1").put("status", "ok")),
                        "routes.yaml: kind 'recommendations': status must be a whole number, e.g. 201, was 'ok'"),
                Arguments.of(ConfigSchema.ROUTES, "missing field", edit(d -> obj(d, "/routes/4").remove("path")),
                        "routes.yaml: kind 'webhook': path is missing; add e.g. 'path: /proxy/events'"));
    }

    @ParameterizedTest(name = "{0} rejects {1}")
    @MethodSource("rejections")
    void eachSchemaRejectsAnUnknownKeyAWrongTypeAndAMissingFieldNamingFileAndField(
            ConfigSchema schema, String what, Consumer<JsonNode> change, String expected) throws IOException {
        JsonNode doc = configFile(schema.name());
        change.accept(doc);
        String m = rejection(schema, doc);
        assertTrue(m.startsWith(expected), "expected '" + expected + "' at the start of:\n" + m);
        assertEquals(1, m.lines().count(), "one problem, one line:\n" + m);
    }

    @Test
    void theParsersOfClaimsAndTiersCheckTheSchemaFirst() {
        String claims = """
                claims:
                  - id: a
                    tier: free
                    route: direct
                    claimed: {min: 20, max: 25}
                    colour: red
                """;
        String m = assertThrows(ConfigException.class, () -> ClaimsFile.parse(claims, "claims.yaml")).getMessage();
        assertTrue(m.startsWith("claims.yaml: claim 'a': unknown field 'colour'"), m);
        String tiers = "tiers:\n  - id: free\n    maxConnections: [100]\n";
        m = assertThrows(ConfigException.class, () -> TiersFile.parse(tiers, "tiers.yaml")).getMessage();
        assertEquals("tiers.yaml: tier 'free': maxConnections must be a whole number, was a list", m);
    }

    @Test
    void everyProblemIsListedInFileOrderAnUnknownFieldBeforeWhatItLeavesMissing() throws IOException {
        JsonNode doc = configFile("tiers");
        obj(doc, "/tiers/3").put("monthlyCostUsd", "cheap");
        ObjectNode launch = obj(doc, "/tiers/1");
        launch.put("maxConection", launch.remove("maxConnections"));
        ((ArrayNode) doc.get("tiers")).insertObject(0).put("name", "no id");
        assertEquals(List.of(
                "tier #1: id is missing; add e.g. 'id: free'",
                "tier #1: maxConnections is missing; add e.g. 'maxConnections: 100'",
                "tier 'launch': unknown field 'maxConection'; allowed fields are id, name, maxConnections, reserved, "
                        + "poolerPoolSize, poolerMaxClientConn, monthlyCostUsd, computeUnits (check the spelling)",
                "tier 'launch': maxConnections is missing; add e.g. 'maxConnections: 100'",
                "tier 'neon-0.25cu': monthlyCostUsd 'cheap' is not a number; write e.g. 19"), ConfigSchema.TIERS.problems(doc));
        String m = rejection(ConfigSchema.TIERS, doc);
        assertEquals(5, m.lines().count(), m);
        assertTrue(m.lines().allMatch(l -> l.startsWith("tiers.yaml: tier ")), "every line names the file and the tier:\n" + m);
    }

    @Test
    void theWordingOfEachKindOfProblem() throws IOException {
        JsonNode study = configFile("study");
        ((ArrayNode) study.at("/modes/quick/ladder")).add("lots");
        ((ArrayNode) study.at("/patterns/list")).add("n-plus-one");
        obj(study, "/modes/full/search").put("bracketRatio", 3);
        assertEquals(List.of(
                "modes.quick.ladder: 'lots' is not a whole number of stores",
                "modes.full.search.bracketRatio is 3; it must be in (1, 2]",
                "patterns.list: 'n-plus-one' is not one of client-per-request, default-limit-fanout, tx-external-call, "
                        + "idle-in-tx-leak, cron-beside-pooler"), ConfigSchema.STUDY.problems(study));

        JsonNode gates = Json.YAML.readTree("""
                gates:
                  - threshold: ">= 5"
                  - metric: p95_ms
                    max: 1
                    min: 0
                  - claim: free-pooled
                    verdict: [confirmed, maybe]
                """);
        assertEquals(List.of(
                "gate 1: needs 'claim:' (a limit on a claim) or 'metric:' (a limit on an observed metric)",
                "gate 2: give exactly one of 'max:', 'min:' or 'threshold:'",
                "gate 3: field 'verdict': 'maybe' is not one of CONFIRMED, OPTIMISTIC, CONSERVATIVE, NOT_REFUTED, INCONCLUSIVE"),
                ConfigSchema.GATES.problems(gates));
        assertEquals(List.of("the top level must be a mapping with a 'gates:' list, was a list"),
                ConfigSchema.GATES.problems(Json.YAML.readTree("- claim: x\n")));
        assertEquals(List.of("unknown top-level key 'claim'; the only key is 'claims'",
                        "claims is missing; the file must start with 'claims:' followed by a list of claims "
                                + "(- id: ..., tier: ..., route: ..., claimed: {min: N, max: M})"),
                ConfigSchema.CLAIMS.problems(Json.YAML.readTree("claim: []\n")));
        assertEquals(List.of("claims is empty; add at least one claim (- id: ..., tier: ..., route: ..., claimed: {min: N, max: M})"),
                ConfigSchema.CLAIMS.problems(Json.YAML.readTree("claims: []\n")));
    }

    @Test
    void quotedNumbersStayAcceptedWhereTheParserReadsThem() {
        // ClaimsFile and TiersFile have always read "500" as 500; the schema must not reject what they accept
        List<Claim> claims = ClaimsFile.parse("claims:\n  - {id: a, tier: free, route: pooled, claimed: {min: \"500\"}}\n", "c.yaml");
        assertEquals(500, claims.get(0).claimed().min());
        assertEquals(19.5, TiersFile.parse("tiers:\n  - {id: t, maxConnections: '100', monthlyCostUsd: '19.5'}\n", "t.yaml")
                .get("t").monthlyCostUsd());
    }

    @Test
    void theGatesSchemaKnowsEveryVerdict() {
        Set<String> listed = new TreeSet<>();
        ConfigSchema.GATES.schemaNode().at("/$defs/verdict/enum").forEach(v -> listed.add(v.asText()));
        Set<String> expected = new TreeSet<>();
        for (Verdict v : Verdict.values()) {
            expected.add(v.name());
            expected.add(v.name().toLowerCase(java.util.Locale.ROOT));
        }
        assertEquals(expected, listed);
    }

    // ---- the schemas themselves ----

    static final SchemaRegistry META = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    static List<String> metaProblems(JsonNode schema) {
        Schema meta = META.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        return meta.validate(schema).stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    @Test
    void theSchemasAreValidDraft202012SchemasAndTheClasspathHoldsThePublishedOnes() throws IOException {
        assertFalse(metaProblems(Json.JSON.readTree("{\"type\": 5, \"required\": \"id\"}")).isEmpty(),
                "the meta-schema check must be able to fail");
        for (ConfigSchema s : ConfigSchema.all()) {
            JsonNode published = Json.JSON.readTree(Files.readString(CONFIG.resolve("schema").resolve(s.fileName())));
            assertEquals("https://json-schema.org/draft/2020-12/schema", published.path("$schema").asText(), s.fileName());
            assertEquals(List.of(), metaProblems(published), s.fileName());
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(ConfigSchema.RESOURCE_DIR + s.fileName())) {
                assertNotNull(in, s.fileName() + " on the classpath");
                assertEquals(published, Json.JSON.readTree(in), s.fileName() + ": the classpath copy is stale; rebuild the model module");
            }
            assertEquals(published, s.schemaNode());
        }
    }

    @Test
    void everyFieldIsDescribedAndEveryMessageBelongsToAKeywordBesideIt() {
        for (ConfigSchema s : ConfigSchema.all()) {
            JsonNode root = s.schemaNode();
            assertTrue(root.path("description").isTextual(), s.fileName() + " has a description");
            List<String> missing = new ArrayList<>();
            walk(root, "", (path, node) -> {
                JsonNode props = node.get("properties");
                if (props != null && props.isObject()) {
                    props.properties().forEach(p -> {
                        JsonNode field = p.getValue();
                        JsonNode ref = field.has("$ref") ? root.at(field.get("$ref").asText().substring(1)) : null;
                        if (!field.has("description") && (ref == null || !ref.has("description")))
                            missing.add(s.fileName() + path + "/properties/" + p.getKey() + ": no description");
                    });
                }
                JsonNode messages = node.get(ConfigSchema.MESSAGES);
                if (messages != null) {
                    messages.fieldNames().forEachRemaining(k -> {
                        if (!node.has(k)) missing.add(s.fileName() + path + ": " + ConfigSchema.MESSAGES + "." + k + " but no " + k + " beside it");
                    });
                }
            });
            assertEquals(List.of(), missing);
        }
    }

    // ---- helpers ----

    static Consumer<JsonNode> edit(Consumer<JsonNode> c) { return c; }

    static ObjectNode obj(JsonNode doc, String pointer) {
        JsonNode n = doc.at(pointer);
        assertTrue(n.isObject(), pointer + " is a mapping in the config file");
        return (ObjectNode) n;
    }

    interface Visitor { void visit(String path, JsonNode node); }

    static void walk(JsonNode node, String path, Visitor v) {
        if (node.isObject()) {
            v.visit(path, node);
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                if (!f.getKey().equals(ConfigSchema.MESSAGES) && !f.getKey().equals("examples") && !f.getKey().equals("default"))
                    walk(f.getValue(), path + "/" + f.getKey(), v);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) walk(node.get(i), path + "/" + i, v);
        }
    }
}

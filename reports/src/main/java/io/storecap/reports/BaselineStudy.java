package io.storecap.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An earlier study's summary.json, read once for {@code --baseline}: what it was (source, study id,
 * commit, when written), each claim's interval, and each run's per-level numbers for the charts'
 * lighter baseline series. Read whole before anything is written, so a bad file stops a study
 * before it starts.
 *
 * @param source      the path as given, shown on the page and in summary.json
 * @param studyId     the baseline's {@code metadata.studyId}; null when it has none
 * @param commit      the baseline's {@code metadata.commit}; null when it has none
 * @param generatedAt when the baseline was written; null when it does not say
 * @param claims      its claims in file order
 * @param levels      run key ({@link #runKey}) -> that run's levels, in run order
 */
public record BaselineStudy(String source, String studyId, String commit, String generatedAt, List<ClaimInterval> claims,
                            Map<String, List<Level>> levels) {

    /**
     * One level of a baseline run, as its summary.json gives it.
     *
     * @param stores         the level's store count
     * @param requests       requests counted at the level
     * @param p95Ms          p95 of all requests; null when not known
     * @param errorRate      error rate of all requests (fraction); null when not known
     * @param peakConnections peak Postgres connections of the app; null when not known
     * @param poolerClients  peak clients PgBouncer held; null when not known
     */
    public record Level(int stores, long requests, Double p95Ms, Double errorRate, Double peakConnections, Double poolerClients) {}

    public BaselineStudy {
        claims = List.copyOf(claims);
        Map<String, List<Level>> copy = new LinkedHashMap<>();
        levels.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        levels = Collections.unmodifiableMap(copy);
    }

    /** The baseline's interval for a claim, or null when it has no such claim. */
    public ClaimInterval claim(String id) {
        for (ClaimInterval c : claims) if (c.id().equals(id)) return c;
        return null;
    }

    /** The baseline run with this key ({@link #runKey}: a claim id, claim~pattern or claim@runtime); empty when none. */
    public List<Level> levels(String key) { return levels.getOrDefault(key, List.of()); }

    /** The baseline's run of the same claim, runtime and anti-pattern as {@code run}; empty when it has none. */
    public List<Level> levels(io.storecap.model.RunResult run) {
        return levels(runKey(run.config().id(), io.storecap.model.RunRoles.pattern(run)));
    }

    /**
     * What matches a run across studies (run ids carry times, so they do not): its configuration id,
     * with {@code ~pattern} added for an anti-pattern variant whose id does not already say it.
     */
    public static String runKey(String configId, String pattern) {
        return pattern == null || pattern.isBlank() || configId.contains("~") ? configId : configId + "~" + pattern;
    }

    /**
     * Reads {@code file} for the option {@code option} ("--baseline"); a missing file, bad JSON or
     * something that is not a storecap summary.json is an {@link IllegalArgumentException} naming
     * the file and what to pass instead.
     */
    public static BaselineStudy read(Path file, String option) {
        if (file == null || !Files.isRegularFile(file))
            throw new IllegalArgumentException(option + " " + file + ": no such file; pass the summary.json of an earlier study");
        JsonNode root;
        try {
            root = Json.JSON.readTree(file.toFile());
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
            throw new IllegalArgumentException(option + " " + file + ": not valid JSON: " + msg, e);
        }
        return parse(root, option + " " + file, file.toString());
    }

    /**
     * A summary tree already read. {@code where} starts every error message ("--baseline old.json");
     * {@code source} is what the report calls it.
     */
    public static BaselineStudy parse(JsonNode root, String where, String source) {
        if (root == null || !root.isObject())
            throw new IllegalArgumentException(where + ": not a JSON object; pass the summary.json of an earlier storecap study");
        if (!root.path("claims").isArray())
            throw new IllegalArgumentException(where + ": no 'claims' array; pass the summary.json of an earlier storecap study "
                    + "(schemaVersion " + SummaryJson.SCHEMA_VERSION + "), not another file of its report folder");
        int v = root.path("schemaVersion").asInt(-1);
        if (v > SummaryJson.SCHEMA_VERSION)
            throw new IllegalArgumentException(where + ": schemaVersion " + v + " is newer than this storecap understands ("
                    + SummaryJson.SCHEMA_VERSION + "); update storecap or pass an older summary");
        List<ClaimInterval> claims = new ArrayList<>();
        int i = 0;
        for (JsonNode c : root.get("claims")) {
            i++;
            if (!c.path("id").isTextual() || c.path("id").asText().isBlank())
                throw new IllegalArgumentException(where + ": claims[" + (i - 1) + "] has no 'id'; is the file a storecap summary.json?");
            if (claims.stream().anyMatch(x -> x.id().equals(c.path("id").asText())))
                throw new IllegalArgumentException(where + ": claim '" + c.path("id").asText() + "' appears twice; a summary lists each claim once");
            claims.add(ClaimInterval.fromSummary(c));
        }
        Map<String, List<Level>> levels = new LinkedHashMap<>();
        for (JsonNode r : root.path("runs")) {
            String id = runKey(r.path("config").path("id").asText(r.path("id").asText("")), text(r.path("config").path("pattern")));
            if (id.isEmpty() || levels.containsKey(id)) continue;
            List<Level> ls = new ArrayList<>();
            for (JsonNode l : r.path("levels")) {
                if (!l.path("stores").canConvertToInt()) continue;
                ls.add(new Level(l.path("stores").asInt(), l.path("requests").path("count").asLong(0), num(l.path("p95Ms")),
                        num(l.path("errorRate")), num(l.path("serverConnections").path("max")), num(l.path("poolerClients").path("max"))));
            }
            levels.put(id, ls);
        }
        JsonNode meta = root.path("metadata");
        return new BaselineStudy(source, text(meta.path("studyId")), text(meta.path("commit")), text(root.path("generatedAt")), claims, levels);
    }

    private static Double num(JsonNode n) { return n.isNumber() && Double.isFinite(n.asDouble()) ? n.asDouble() : null; }

    private static String text(JsonNode n) { return n.isTextual() && !n.asText().isBlank() ? n.asText() : null; }
}

package io.storecap.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.AntiPattern;
import io.storecap.model.Claim;
import io.storecap.model.ConfigSchema;
import io.storecap.model.Json;
import io.storecap.model.RunConfig;
import io.storecap.model.ServiceMode;
import io.storecap.model.Tier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * study.yaml: the ladder of store counts and level timing per mode (quick, full), and how the
 * service holds connections. Turns a claim into the {@link RunConfig} that tests it. The file is
 * checked against config/schema/study.schema.json ({@link ConfigSchema#STUDY}) before it is read.
 */
public record StudyConfig(double pastClaimFactor, ServiceMode mode, int connectionLimit, int coldStartMs, double functionMs,
                          double dbLatencyMs, java.util.Map<String, String> serviceOptions, Mode quick, Mode full,
                          List<String> patternClaims, List<String> patterns) {

    /** The anti-patterns a study can add as variant runs: {@link AntiPattern}'s catalogue (see README: why the plan's numbers). */
    public static final List<String> KNOWN_PATTERNS = AntiPattern.ids();

    /** Whether a pattern makes sense on a route: cron jobs beside a pooler need a pooler. */
    public static boolean appliesTo(String pattern, io.storecap.model.Route route) {
        return AntiPattern.of(pattern).appliesTo(route);
    }

    /** The variant of a run with an anti-pattern switched on: run id {@code <claim>~<pattern>}. */
    public RunConfig variant(RunConfig base, String pattern) {
        return base.toBuilder().id(base.id() + "~" + pattern).build().withServiceOption("pattern", pattern);
    }

    /**
     * One study mode: the fixed ladder and its level timing (for anti-pattern variants, faults and
     * the Gatling stair), and the knee search's settings (for each claim's baseline).
     */
    public record Mode(List<Integer> ladder, double levelSeconds, double settleSeconds, double idleTtlSeconds, SearchSettings search) {}

    public Mode mode(boolean quickMode) { return quickMode ? quick : full; }

    /** The stair for a claim: the ladder up to the first level at or past pastClaimFactor x its top. */
    public List<Integer> stairFor(Claim claim, boolean quickMode) {
        List<Integer> ladder = mode(quickMode).ladder();
        double target = pastClaimFactor * claim.claimed().top();
        List<Integer> out = new ArrayList<>();
        for (int l : ladder) {
            out.add(l);
            if (l >= target) return out;
        }
        return out; // the ladder ends before the target: the model says the measurement stops there
    }

    /** Where a claim's search starts: inside the claimed range (its geometric middle; an open claim's minimum). */
    public static int searchStart(Claim claim) {
        var c = claim.claimed();
        return Math.max(1, c.max() == null ? c.min() : (int) Math.round(Math.sqrt((double) Math.max(1, c.min()) * c.max())));
    }

    /**
     * The run configuration of a claim's knee search: the search's production-equivalent idle TTL;
     * its levels are decided as it goes (this holds the starting load until the run records them).
     */
    public RunConfig searchConfig(Claim claim, Tier tier, boolean quickMode) {
        Mode m = mode(quickMode);
        return new RunConfig(claim.id(), tier, claim.route(), mode, connectionLimit, m.search().idleTtlSeconds(), coldStartMs,
                List.of(searchStart(claim)), m.levelSeconds(), 0, "local", functionMs, dbLatencyMs, serviceOptions);
    }

    public RunConfig runConfig(Claim claim, Tier tier, boolean quickMode) {
        Mode m = mode(quickMode);
        return new RunConfig(claim.id(), tier, claim.route(), mode, connectionLimit, m.idleTtlSeconds(), coldStartMs,
                stairFor(claim, quickMode), m.levelSeconds(), m.settleSeconds(), "local", functionMs, dbLatencyMs, serviceOptions);
    }

    public static StudyConfig load(Path file) {
        String src = file.toString();
        JsonNode n;
        try {
            n = Json.YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read study file " + src + ": " + e.getMessage());
        }
        if (n == null || !n.isObject()) throw new IllegalArgumentException(src + ": expected a mapping with pastClaimFactor, service, modes");
        ConfigSchema.STUDY.validate(n, src); // config/schema/study.schema.json; what follows is what a schema cannot say
        double factor = n.path("pastClaimFactor").asDouble(1.5);
        if (factor < 1) throw new IllegalArgumentException(src + ": pastClaimFactor must be >= 1 (a stair must pass the claim), was " + factor);
        JsonNode svc = n.path("service");
        String modeText = svc.path("mode").asText("serverless");
        ServiceMode mode;
        try {
            mode = ServiceMode.of(modeText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(src + ": service.mode must be serverless or server, was '" + modeText + "'");
        }
        int limit = svc.path("connectionLimit").asInt(5);
        if (limit < 1) throw new IllegalArgumentException(src + ": service.connectionLimit must be >= 1");
        int cold = svc.path("coldStartMs").asInt(250);
        double functionMs = svc.path("functionMs").asDouble(0);
        double dbLatencyMs = svc.path("dbLatencyMs").asDouble(0);
        if (cold < 0 || functionMs < 0 || dbLatencyMs < 0)
            throw new IllegalArgumentException(src + ": service.coldStartMs, functionMs and dbLatencyMs must be >= 0");
        List<String> patternClaims = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        for (JsonNode c : n.path("patterns").path("claims")) patternClaims.add(c.asText());
        for (JsonNode p : n.path("patterns").path("list")) {
            if (!KNOWN_PATTERNS.contains(p.asText()))
                throw new IllegalArgumentException(src + ": patterns.list: '" + p.asText() + "' is not one of " + KNOWN_PATTERNS);
            patterns.add(p.asText());
        }
        java.util.Map<String, String> options = new java.util.TreeMap<>();
        svc.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
        return new StudyConfig(factor, mode, limit, cold, functionMs, dbLatencyMs, options, modeOf(n, "quick", src), modeOf(n, "full", src),
                List.copyOf(patternClaims), List.copyOf(patterns));
    }

    private static Mode modeOf(JsonNode root, String name, String src) {
        JsonNode m = root.path("modes").path(name);
        if (!m.isObject()) throw new IllegalArgumentException(src + ": modes." + name + " is missing");
        List<Integer> ladder = new ArrayList<>();
        for (JsonNode l : m.path("ladder")) ladder.add(l.asInt());
        if (ladder.isEmpty()) throw new IllegalArgumentException(src + ": modes." + name + ".ladder must list store counts");
        for (int i = 1; i < ladder.size(); i++)
            if (ladder.get(i) <= ladder.get(i - 1))
                throw new IllegalArgumentException(src + ": modes." + name + ".ladder must increase, got " + ladder);
        double level = m.path("levelSeconds").asDouble(0);
        double settle = m.path("settleSeconds").asDouble(0);
        double ttl = m.path("idleTtlSeconds").asDouble(0);
        if (level <= 0) throw new IllegalArgumentException(src + ": modes." + name + ".levelSeconds must be > 0");
        if (settle < 0 || settle >= level) throw new IllegalArgumentException(src + ": modes." + name + ".settleSeconds must be in [0, levelSeconds)");
        if (ttl <= 0) throw new IllegalArgumentException(src + ": modes." + name + ".idleTtlSeconds must be > 0");
        return new Mode(List.copyOf(ladder), level, settle, ttl, SearchSettings.parse(m.path("search"), src + ": modes." + name + ".search"));
    }
}

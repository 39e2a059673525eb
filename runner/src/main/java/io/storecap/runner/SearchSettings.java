package io.storecap.runner;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How the knee search runs in one study mode (study.yaml {@code modes.<mode>.search}).
 *
 * @param replicates      measurements of each end of the final bracket (>= 3 quick, >= 5 full)
 * @param bracketRatio    bisect until highest-holding / lowest-failing load is within this ratio
 * @param rampMin         smallest factor between two ramp levels
 * @param rampMax         largest factor between two ramp levels (and the step going down)
 * @param targetRps       the emulated arrival rate a level aims at: the time scale is production
 *                        rate / targetRps, so the machine drives the same rate at every load
 * @param minTimeScale    the floor of the time scale: below it, what does not scale (loopback
 *                        query time, HTTP overhead, ~1 ms a request) would be a large share of
 *                        the emulated function time and inflate every hold time
 * @param maxTimeScale    the ceiling: above it levels get long (every duration, TTL included, grows)
 * @param idleTtlSeconds  production-equivalent idle TTL of a function instance, scaled by k like every
 *                        duration. At production values (minutes) no instance is reclaimed within a
 *                        level, as none is within a few minutes of production: the pool holds the
 *                        level's peak concurrency. A short TTL here would reclaim instances between
 *                        concurrency peaks and start them cold again, a feedback production
 *                        (TTL minutes, cold start a fraction of a second) does not have
 * @param minLevelSeconds shortest measured part of a level (emulated)
 * @param maxLevelSeconds longest measured part of a level (emulated); a level that cannot reach
 *                        its requests within it is insufficient
 * @param maxLevels       the most levels one claim's search may run
 * @param maxStores       the search's ceiling in stores
 * @param seedStores      stores seeded in the database at most (higher store numbers map onto them)
 * @param targetStores    store counts the plan's targets name ("now", the planning point): after the
 *                        search, a reference run measures a level at each (the longest level) unless
 *                        one already carried that load
 */
public record SearchSettings(int replicates, double bracketRatio, double rampMin, double rampMax, double targetRps,
                             double minTimeScale, double maxTimeScale, double idleTtlSeconds, double minLevelSeconds,
                             double maxLevelSeconds, int maxLevels, int maxStores, int seedStores, java.util.List<Integer> targetStores) {

    public KneeSearch.Settings search() {
        return new KneeSearch.Settings(rampMin, rampMax, bracketRatio, replicates, maxStores, maxLevels);
    }

    static SearchSettings parse(JsonNode n, String where) {
        if (n.isMissingNode() || n.isNull()) n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(); // every default
        if (!n.isObject()) throw new IllegalArgumentException(where + " must be a mapping of the knee search's settings (replicates, bracketRatio, ...)");
        SearchSettings s = new SearchSettings(n.path("replicates").asInt(3), n.path("bracketRatio").asDouble(1.10),
                n.path("rampMin").asDouble(2), n.path("rampMax").asDouble(8), n.path("targetRps").asDouble(400),
                n.path("minTimeScale").asDouble(0.25), n.path("maxTimeScale").asDouble(10), n.path("idleTtlSeconds").asDouble(300),
                n.path("minLevelSeconds").asDouble(6), n.path("maxLevelSeconds").asDouble(30), n.path("maxLevels").asInt(20),
                n.path("maxStores").asInt(1_000_000), n.path("seedStores").asInt(5000), targets(n.path("targetStores")));
        s.validate(where);
        return s;
    }

    private static java.util.List<Integer> targets(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) return java.util.List.of(25, 1000);
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (JsonNode x : n) out.add(x.asInt());
        return java.util.List.copyOf(out);
    }

    void validate(String where) {
        if (targetStores.stream().anyMatch(t -> t < 1)) throw new IllegalArgumentException(where + ".targetStores must be store counts >= 1, was " + targetStores);
        if (replicates < 1) throw new IllegalArgumentException(where + ".replicates must be >= 1, was " + replicates);
        if (!(bracketRatio > 1 && bracketRatio <= 2)) throw new IllegalArgumentException(where + ".bracketRatio must be in (1, 2], was " + bracketRatio);
        if (!(rampMin > 1 && rampMax >= rampMin)) throw new IllegalArgumentException(where + ".rampMin must be > 1 and <= rampMax, was " + rampMin + " / " + rampMax);
        if (!(targetRps > 0)) throw new IllegalArgumentException(where + ".targetRps must be > 0, was " + targetRps);
        if (!(minTimeScale > 0 && maxTimeScale >= minTimeScale))
            throw new IllegalArgumentException(where + ".minTimeScale must be > 0 and <= maxTimeScale, was " + minTimeScale + " / " + maxTimeScale);
        if (!(idleTtlSeconds > 0)) throw new IllegalArgumentException(where + ".idleTtlSeconds must be > 0, was " + idleTtlSeconds);
        if (!(minLevelSeconds > 0 && maxLevelSeconds >= minLevelSeconds))
            throw new IllegalArgumentException(where + ".minLevelSeconds must be > 0 and <= maxLevelSeconds, was " + minLevelSeconds + " / " + maxLevelSeconds);
        if (maxLevels < 2) throw new IllegalArgumentException(where + ".maxLevels must be >= 2, was " + maxLevels);
        if (maxStores < 1 || seedStores < 1) throw new IllegalArgumentException(where + ".maxStores and seedStores must be >= 1");
    }
}

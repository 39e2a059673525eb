package io.storecap.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * claims.yaml: the scaling plan's claims, one entry per row.
 * <pre>
 * claims:
 *   - id: free-direct          # lower-case letters, digits, dashes; unique; used in summary.json
 *     tier: free               # an id from tiers.yaml
 *     route: direct            # direct or pooled
 *     claimed: {min: 20, max: 25}   # store counts; omit max for "20+"
 *     text: "20-25 stores ..."      # optional: the claim as the plan wrote it
 * </pre>
 * Parsing checks the file against config/schema/claims.schema.json ({@link ConfigSchema#CLAIMS}),
 * then each entry on its own; {@link #checkTiers} checks the tier references against a tiers file
 * (done by {@link ModelInputs}).
 */
public final class ClaimsFile {
    private ClaimsFile() {}

    public static final String DEFAULT_NAME = "claims.yaml";

    static final String EXAMPLE = """
            claims:
              - id: free-direct
                tier: free
                route: direct
                claimed: {min: 20, max: 25}
            """;

    /** Parses a claims file; {@code sourceName} is used in error messages (e.g. "claims.yaml"). */
    public static List<Claim> parse(String yaml, String sourceName) {
        List<JsonNode> nodes = YamlEntries.topLevelList(yaml, sourceName, "claims", EXAMPLE, ConfigSchema.CLAIMS);
        if (nodes.isEmpty()) throw new ConfigException(sourceName, "'claims' is empty; add at least one claim, e.g.\n" + EXAMPLE);
        List<Claim> claims = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            Claim c = parseEntry(new YamlEntries.Entry(sourceName, "claim", i, nodes.get(i)));
            if (!ids.add(c.id()))
                throw new ConfigException(sourceName, "claim '" + c.id() + "' appears twice; claim ids must be unique (rename one)");
            claims.add(c);
        }
        return List.copyOf(claims);
    }

    /** Reads and parses a claims file from disk. */
    public static List<Claim> load(Path file) {
        return parse(read(file), file.getFileName().toString());
    }

    /** Every claim must name a tier of the tiers file. */
    public static void checkTiers(List<Claim> claims, Map<String, Tier> tiers, String claimsSource, String tiersSource) {
        for (Claim c : claims) {
            if (!tiers.containsKey(c.tier()))
                throw new ConfigException(claimsSource, "claim '" + c.id() + "': tier '" + c.tier() + "' is not defined in "
                        + tiersSource + "; use one of " + String.join(", ", tiers.keySet()) + " or add it there");
        }
    }

    private static Claim parseEntry(YamlEntries.Entry e) {
        e.allowOnly("id", "tier", "route", "claimed", "text");
        String id = e.requiredText("id");
        if (!id.matches("[a-z0-9][a-z0-9-]*"))
            throw e.error("id", "'" + id + "' must be lower-case letters, digits and dashes (e.g. free-direct)");
        String tier = e.requiredText("tier");
        String routeText = e.requiredText("route");
        Route route;
        try {
            route = Route.parse(routeText);
        } catch (IllegalArgumentException ex) {
            throw e.error("route", "'" + routeText + "' is not one of direct, pooled");
        }
        JsonNode claimed = e.node.get("claimed");
        if (claimed == null || claimed.isNull())
            throw e.error("claimed", "is missing; add e.g. 'claimed: {min: 500, max: 700}' (omit max for \"500+\")");
        if (!claimed.isObject())
            throw e.error("claimed", "must be {min: N, max: M} (omit max for \"N+\"; write \"~400\" as an explicit range such as {min: 360, max: 440}), was " + claimed);
        claimed.fieldNames().forEachRemaining(f -> {
            if (!f.equals("min") && !f.equals("max"))
                throw e.error("claimed", "has unknown field '" + f + "'; only min and max are allowed");
        });
        Integer min = e.optionalInt("min", claimed, "claimed.min");
        if (min == null) throw e.error("claimed.min", "is missing; add the smallest claimed store count, e.g. {min: 500, max: 700}");
        Integer max = e.optionalInt("max", claimed, "claimed.max");
        if (min < 0) throw e.error("claimed.min", "is " + min + "; a store count must be 0 or more");
        if (max != null && max < min)
            throw e.error("claimed.max", "(" + max + ") is below claimed.min (" + min + "); swap them or fix the range");
        String text = e.optionalText("text");
        return new Claim(id, tier, route, new ClaimedRange(min, max), text);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException(file.toString(), "file not found; create it or pass the folder that holds it");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

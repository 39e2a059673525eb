package io.storecap.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tiers.yaml: the Postgres sizes the app can pay for, in file order.
 * <pre>
 * tiers:
 *   - id: free                  # unique; claims refer to it
 *     name: "Free"              # optional, defaults to id
 *     maxConnections: 100       # Postgres max_connections (required)
 *     reserved: 3               # superuser_reserved_connections (optional, Postgres' default 3)
 *     poolerPoolSize: 90        # PgBouncer default_pool_size (optional: 0.9 x maxConnections)
 *     poolerMaxClientConn: 10000  # optional, Neon's 10000
 *     monthlyCostUsd: 0         # optional, 0
 *     computeUnits: 0.25        # optional
 * </pre>
 * Parsing checks the file against config/schema/tiers.schema.json ({@link ConfigSchema#TIERS}) first.
 */
public final class TiersFile {
    private TiersFile() {}

    public static final String DEFAULT_NAME = "tiers.yaml";
    /** Postgres' default superuser_reserved_connections, used when a tier does not say. */
    public static final int DEFAULT_RESERVED = 3;

    static final String EXAMPLE = """
            tiers:
              - id: free
                maxConnections: 100
                reserved: 3
            """;

    /** Parses a tiers file into an id-to-tier map that keeps the file's order. */
    public static Map<String, Tier> parse(String yaml, String sourceName) {
        List<JsonNode> nodes = YamlEntries.topLevelList(yaml, sourceName, "tiers", EXAMPLE, ConfigSchema.TIERS);
        if (nodes.isEmpty()) throw new ConfigException(sourceName, "'tiers' is empty; add at least one tier, e.g.\n" + EXAMPLE);
        Map<String, Tier> tiers = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Tier t = parseEntry(new YamlEntries.Entry(sourceName, "tier", i, nodes.get(i)));
            if (tiers.putIfAbsent(t.id(), t) != null)
                throw new ConfigException(sourceName, "tier '" + t.id() + "' appears twice; tier ids must be unique (rename one)");
        }
        return Collections.unmodifiableMap(tiers);
    }

    /** Reads and parses a tiers file from disk. */
    public static Map<String, Tier> load(Path file) {
        return parse(ClaimsFile.read(file), file.getFileName().toString());
    }

    private static Tier parseEntry(YamlEntries.Entry e) {
        e.allowOnly("id", "name", "maxConnections", "reserved", "poolerPoolSize", "poolerMaxClientConn",
                "monthlyCostUsd", "computeUnits");
        String id = e.requiredText("id");
        String name = e.optionalText("name");
        int max = e.requiredInt("maxConnections");
        if (max < 5) throw e.error("maxConnections", "is " + max + "; Postgres needs at least 5 (use the server's max_connections)");
        Integer reservedOrNull = e.optionalInt("reserved", e.node, "reserved");
        int reserved = reservedOrNull == null ? DEFAULT_RESERVED : reservedOrNull;
        if (reserved < 1 || reserved >= max)
            throw e.error("reserved", "is " + reserved + "; it must be between 1 and maxConnections - 1 (" + (max - 1)
                    + "): the telemetry sampler uses one reserved slot");
        Integer pool = e.optionalInt("poolerPoolSize", e.node, "poolerPoolSize");
        if (pool != null && (pool < 1 || pool > max - reserved))
            throw e.error("poolerPoolSize", "is " + pool + "; it must be between 1 and the usable connections "
                    + (max - reserved) + " (maxConnections - reserved), or omitted for 0.9 x maxConnections");
        Integer clients = e.optionalInt("poolerMaxClientConn", e.node, "poolerMaxClientConn");
        if (clients != null && clients < 1)
            throw e.error("poolerMaxClientConn", "is " + clients + "; it must be 1 or more, or omitted for 10000");
        Double cost = e.optionalDouble("monthlyCostUsd");
        if (cost != null && cost < 0) throw e.error("monthlyCostUsd", "is " + cost + "; a price cannot be negative");
        Double cu = e.optionalDouble("computeUnits");
        if (cu != null && cu <= 0) throw e.error("computeUnits", "is " + cu + "; it must be positive, or omitted");
        try {
            return new Tier(id, name, max, reserved, pool == null ? 0 : pool, clients == null ? 0 : clients,
                    cost == null ? 0 : cost, cu);
        } catch (IllegalArgumentException ex) {
            // e.g. the derived default pool size does not fit: still name file and entry
            throw e.error(null, ex.getMessage());
        }
    }
}

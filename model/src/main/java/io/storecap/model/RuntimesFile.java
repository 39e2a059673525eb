package io.storecap.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * config/runtimes.yaml: the runtimes a study can run its claims under, and the default one. Checked
 * against config/schema/runtimes.schema.json ({@link ConfigSchema#RUNTIMES}) first, then here: unique
 * ids, a default that exists, and whole numbers where the run's fields take them.
 */
public final class RuntimesFile {
    private RuntimesFile() {}

    public static final String DEFAULT_NAME = "runtimes.yaml";

    /**
     * The runtimes of a file, in file order, and the default.
     *
     * @param defaultId the runtime a study uses without --runtime
     * @param byId      id -> runtime, in file order
     */
    public record Runtimes(String defaultId, Map<String, RuntimePreset> byId) {
        public Runtimes {
            byId = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byId));
        }

        public RuntimePreset defaultRuntime() { return byId.get(defaultId); }

        /**
         * The runtimes named in {@code ids} (comma-separated on the command line), in that order; the
         * default alone when {@code ids} is empty.
         *
         * @throws IllegalArgumentException naming an unknown id and the known ones
         */
        public List<RuntimePreset> select(List<String> ids) {
            if (ids == null || ids.isEmpty()) return List.of(defaultRuntime());
            List<RuntimePreset> out = new ArrayList<>();
            for (String id : ids) {
                RuntimePreset r = byId.get(id.trim());
                if (r == null)
                    throw new IllegalArgumentException("--runtime " + id + ": no such runtime; known: " + String.join(", ", byId.keySet()));
                if (!out.contains(r)) out.add(r);
            }
            return out;
        }
    }

    public static Runtimes load(Path file) {
        return parse(ClaimsFile.read(file), file.getFileName().toString());
    }

    public static Runtimes parse(String yaml, String source) {
        JsonNode root = ConfigSchema.RUNTIMES.read(yaml, source, "'default: ID' and 'runtimes:' (see config/runtimes.yaml)");
        Map<String, RuntimePreset> byId = new LinkedHashMap<>();
        for (JsonNode n : root.get("runtimes")) {
            String id = n.get("id").asText();
            Map<String, RuntimePreset.Setting> settings = new LinkedHashMap<>();
            n.get("settings").fields().forEachRemaining(e -> settings.put(e.getKey(),
                    new RuntimePreset.Setting(e.getValue().get("value").asText(), e.getValue().get("reason").asText())));
            for (String whole : List.of(RuntimePreset.CONNECTION_LIMIT, RuntimePreset.COLD_START_MS)) {
                RuntimePreset.Setting s = settings.get(whole);
                if (s != null && !s.value().trim().matches("\\d+"))
                    throw new ConfigException(source, "runtime '" + id + "': " + whole + " must be a whole number, was '" + s.value() + "'");
            }
            List<String> sources = new ArrayList<>();
            n.get("sources").forEach(s -> sources.add(s.asText()));
            RuntimePreset r = new RuntimePreset(id, n.get("name").asText(), n.get("summary").asText(), settings, sources);
            if (byId.putIfAbsent(id, r) != null)
                throw new ConfigException(source, "runtime '" + id + "' appears twice; runtime ids must be unique (rename one)");
        }
        String def = root.get("default").asText();
        if (!byId.containsKey(def))
            throw new ConfigException(source, "default: '" + def + "' is not one of the runtimes (" + String.join(", ", byId.keySet()) + ")");
        return new Runtimes(def, byId);
    }
}

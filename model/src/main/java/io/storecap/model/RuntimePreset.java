package io.storecap.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named runtime (config/runtimes.yaml): how the serverless platform and the database client hold
 * Postgres connections, as a set of the reference service's settings, each with its reason, and the
 * sources they rest on. {@code connection-limit} and {@code cold-start-ms} set the run's own fields
 * ({@link RunConfig#connectionLimit()}, {@link RunConfig#coldStartMs()}); the rest are service options.
 *
 * @param id       unique id; run ids of a non-default runtime are {@code <claim>@<id>}
 * @param name     shown in the report
 * @param summary  one sentence: what this runtime is
 * @param settings service setting -> value and reason, in file order
 * @param sources  documentation and issues the values rest on
 */
public record RuntimePreset(String id, String name, String summary, Map<String, Setting> settings, List<String> sources) {
    /** The run-config fields a preset may set (the rest go to the service as options). */
    public static final String CONNECTION_LIMIT = "connection-limit", COLD_START_MS = "cold-start-ms";

    /** One setting's value and why. */
    public record Setting(String value, String reason) {}

    public RuntimePreset {
        Objects.requireNonNull(id, "runtime id");
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** The settings that go to the service as {@code --key=value} (all but the run-config fields). */
    public Map<String, String> serviceOptions() {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach((k, s) -> {
            if (!k.equals(CONNECTION_LIMIT) && !k.equals(COLD_START_MS)) out.put(k, s.value());
        });
        return out;
    }

    /** The run this runtime makes of {@code base}: its fields and service options overlaid, the runtime named. */
    public RunConfig applyTo(RunConfig base) {
        RunConfig.Builder b = base.toBuilder().runtime(id);
        Setting limit = settings.get(CONNECTION_LIMIT), cold = settings.get(COLD_START_MS);
        if (limit != null) b.connectionLimit(Integer.parseInt(limit.value().trim()));
        if (cold != null) b.coldStartMs(Integer.parseInt(cold.value().trim()));
        Map<String, String> options = new LinkedHashMap<>(base.serviceOptions());
        options.putAll(serviceOptions());
        return b.serviceOptions(options).build();
    }
}

package io.storecap.model.checklist;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.ConfigException;
import io.storecap.model.ConfigSchema;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * config/checklist.yaml: the plan's steps, the side of each that differs from the base configuration,
 * the hours and monthly cost the ranking divides by, and the cells' sizes. Checked against
 * config/schema/checklist.schema.json ({@link ConfigSchema#CHECKLIST}) first, then here: unique ids,
 * one side per step, a ladder that rises and holds the planning point.
 *
 * @param tier  the tier every cell runs on
 * @param steps the steps in the plan's order
 * @param quick the cells of {@code --quick}
 * @param full  the cells of the full checklist
 */
public record ChecklistPlan(String tier, List<Step> steps, Cells quick, Cells full) {
    public static final String DEFAULT_NAME = "checklist.yaml";

    public enum Kind {
        OPTION, INDEXES, DASHBOARD, WEBHOOKS;

        public String id() { return name().toLowerCase(Locale.ROOT); }
    }

    /** A service setting with its reason. */
    public record Setting(String value, String reason) {}

    /**
     * What one side of a step changes from the base configuration (null: as the base).
     *
     * @param route    direct or pooled
     * @param tier     a tier id of tiers.yaml
     * @param settings the service's --key=value settings
     */
    public record Side(String route, String tier, Map<String, Setting> settings) {
        public static final Side BASE = new Side(null, null, Map.of());

        public Side {
            settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }

        /** The settings' values alone. */
        public Map<String, String> values() {
            Map<String, String> m = new LinkedHashMap<>();
            settings.forEach((k, v) -> m.put(k, v.value()));
            return m;
        }

        /** A stable name of what this side changes ("base" when nothing). */
        public String key() {
            List<String> parts = new ArrayList<>();
            if (route != null) parts.add("route=" + route);
            if (tier != null) parts.add("tier=" + tier);
            new java.util.TreeMap<>(values()).forEach((k, v) -> parts.add(k + "=" + v));
            return parts.isEmpty() ? "base" : String.join(",", parts);
        }
    }

    /**
     * One step.
     *
     * @param off the configuration without the step ({@link Side#BASE} when the base lacks it)
     * @param on  the configuration with it ({@link Side#BASE} when the base has it)
     */
    public record Step(String id, Kind kind, String words, double hours, String hoursReason, double monthlyCostUsd, String costReason,
                       Side off, Side on, List<String> sources) {}

    /** The cells' sizes of one mode (see config/checklist.yaml). */
    public record Cells(List<Integer> ladder, int nowStores, int planStores, double nowSeconds, List<Integer> dashboardStores,
                        int dashboardLoads, double dashboardSeconds, int webhookStores, double webhookSeconds) {}

    public Cells cells(boolean quickMode) { return quickMode ? quick : full; }

    public static ChecklistPlan load(Path file) {
        String text;
        try {
            text = java.nio.file.Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException(file.toString(), "file not found; create it (see config/checklist.yaml) or pass --checklist-file FILE");
        } catch (java.io.IOException e) {
            throw new ConfigException(file.toString(), "cannot read it: " + e.getMessage());
        }
        return parse(text, file.getFileName().toString());
    }

    public static ChecklistPlan parse(String yaml, String source) {
        JsonNode root = ConfigSchema.CHECKLIST.read(yaml, source, "'tier:', 'steps:' and 'modes:' (see config/checklist.yaml)");
        List<Step> steps = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode n : root.get("steps")) {
            String id = n.get("id").asText();
            if (!ids.add(id)) throw new ConfigException(source, "step '" + id + "' appears twice; give each step its own id");
            boolean hasOn = n.has("on"), hasOff = n.has("off");
            if (hasOn == hasOff)
                throw new ConfigException(source, "step '" + id + "': give exactly one of 'on:' (what the base lacks) or 'off:' (what the base has)");
            List<String> sources = new ArrayList<>();
            n.get("sources").forEach(s -> sources.add(s.asText()));
            steps.add(new Step(id, Kind.valueOf(n.get("kind").asText().toUpperCase(Locale.ROOT)), n.get("words").asText(),
                    n.get("hours").get("value").asDouble(), n.get("hours").get("reason").asText(),
                    n.get("monthlyCostUsd").get("value").asDouble(), n.get("monthlyCostUsd").get("reason").asText(),
                    hasOff ? side(n.get("off")) : Side.BASE, hasOn ? side(n.get("on")) : Side.BASE, List.copyOf(sources)));
            if (!(steps.get(steps.size() - 1).hours() > 0))
                throw new ConfigException(source, "step '" + id + "': hours.value must be > 0 (the ranking divides by it)");
        }
        JsonNode modes = root.get("modes");
        return new ChecklistPlan(root.get("tier").asText(), List.copyOf(steps), cells(modes.get("quick"), source + ": modes.quick"),
                cells(modes.get("full"), source + ": modes.full"));
    }

    private static Side side(JsonNode n) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        n.path("settings").fields().forEachRemaining(e -> settings.put(e.getKey(),
                new Setting(e.getValue().get("value").asText(), e.getValue().get("reason").asText())));
        return new Side(n.has("route") ? n.get("route").asText() : null, n.has("tier") ? n.get("tier").asText() : null, settings);
    }

    private static Cells cells(JsonNode m, String where) {
        List<Integer> ladder = ints(m.get("ladder"));
        for (int i = 1; i < ladder.size(); i++)
            if (ladder.get(i) <= ladder.get(i - 1)) throw new ConfigException(where, "ladder must rise, got " + ladder);
        int plan = m.get("planStores").asInt();
        if (!ladder.contains(plan))
            throw new ConfigException(where, "ladder " + ladder + " must hold planStores " + plan + ": the options are compared there");
        return new Cells(ladder, m.get("nowStores").asInt(), plan, m.get("nowSeconds").asDouble(), ints(m.get("dashboardStores")),
                m.get("dashboardLoads").asInt(), m.get("dashboardSeconds").asDouble(), m.get("webhookStores").asInt(),
                m.get("webhookSeconds").asDouble());
    }

    private static List<Integer> ints(JsonNode a) {
        List<Integer> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asInt()));
        return List.copyOf(out);
    }
}

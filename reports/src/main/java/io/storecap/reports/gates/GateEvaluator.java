package io.storecap.reports.gates;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.study.StudyModel;
import io.storecap.reports.Fmt;
import io.storecap.reports.ReportContext;
import io.storecap.reports.SummaryJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Checks gates against a summary.json tree (the same numbers the report shows). A gate that names
 * a claim or run the summary does not have is bad input (exit 2), not a failure: it is a typo.
 */
public final class GateEvaluator {
    private GateEvaluator() {}

    public static List<GateResult> evaluate(StudyModel model, List<RunResult> runs, Map<String, Tier> tiers, List<Gate> gates) {
        return evaluate(SummaryJson.build(model, runs, tiers, ReportContext.fromRuns(null, runs)), "the study", gates);
    }

    public static List<GateResult> evaluate(JsonNode summary, List<Gate> gates) {
        return evaluate(summary, "summary.json", gates);
    }

    /** @param source names the summary in error messages (its file path) */
    public static List<GateResult> evaluate(JsonNode summary, String source, List<Gate> gates) {
        requireShape(summary, source);
        List<GateResult> out = new ArrayList<>();
        for (Gate g : gates) {
            if (g instanceof Gate.ClaimGate c) out.add(claim(summary, source, c));
            else out.add(metric(summary, source, (Gate.MetricGate) g));
        }
        return out;
    }

    static void requireShape(JsonNode summary, String source) {
        if (summary == null || !summary.isObject())
            throw new GatesException(source + ": not a JSON object; is it a storecap summary.json?");
        if (!summary.path("claims").isArray())
            throw new GatesException(source + ": no 'claims' array; is it a storecap summary.json (schemaVersion "
                    + SummaryJson.SCHEMA_VERSION + ")?");
        if (!summary.path("runs").isArray())
            throw new GatesException(source + ": no 'runs' array; is it a storecap summary.json (schemaVersion "
                    + SummaryJson.SCHEMA_VERSION + ")?");
        int v = summary.path("schemaVersion").asInt(-1);
        if (v > SummaryJson.SCHEMA_VERSION)
            throw new GatesException(source + ": schemaVersion " + v + " is newer than this storecap understands ("
                    + SummaryJson.SCHEMA_VERSION + "); update storecap");
    }

    // ------------------------------------------------------------------ claims

    static JsonNode findClaim(JsonNode summary, String id) {
        for (JsonNode c : summary.get("claims")) if (id.equals(c.path("id").asText(null))) return c;
        return null;
    }

    private static GateResult claim(JsonNode summary, String source, Gate.ClaimGate g) {
        JsonNode c = findClaim(summary, g.claim());
        if (c == null)
            throw new GatesException(g.name() + ": claim '" + g.claim() + "' is not in " + source + " (claims there: "
                    + ids(summary.get("claims"), "id") + ")");
        List<String> problems = new ArrayList<>(), facts = new ArrayList<>();
        JsonNode m = c.path("measured");
        JsonNode t = m.path("threshold");
        if (g.threshold() != null) {
            if (!t.isNumber()) {
                problems.add("threshold not determined (limited by " + m.path("binding").asText("?") + ": "
                        + c.path("reason").asText("no reason given") + ")");
            } else {
                double v = t.asDouble();
                String measured = (m.path("lowerBound").asBoolean(false) ? "at least " : "") + Fmt.num(round1(v)) + " stores";
                if (g.threshold().test(v)) facts.add("measured " + measured);
                else problems.add("measured " + measured + ", " + Fmt.num(round1(g.threshold().miss(v)))
                        + (g.threshold().isFloor() ? " short" : " over"));
            }
        }
        if (!g.verdicts().isEmpty()) {
            String v = c.path("verdict").asText("?");
            boolean ok = g.verdicts().stream().anyMatch(x -> x.name().equals(v));
            (ok ? facts : problems).add("verdict " + v + (ok ? "" : ", allowed " + g.verdicts().stream().map(Enum::name)
                    .collect(Collectors.joining(", "))));
        }
        return problems.isEmpty() ? GateResult.pass(g.name(), String.join("; ", facts))
                : GateResult.fail(g.name(), String.join("; ", problems));
    }

    // ------------------------------------------------------------------ metrics

    private record Reading(String run, Integer stores, Double value, String note) {}

    private static GateResult metric(JsonNode summary, String source, Gate.MetricGate g) {
        List<JsonNode> runs = selectRuns(summary, source, g);
        if (runs.isEmpty())
            return GateResult.fail(g.name(), "not measured: no run" + (g.claim() != null ? " behind claim " + g.claim() : " in the summary"));
        List<Reading> readings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!g.metric().perLevel) {
            for (JsonNode r : runs) {
                JsonNode rec = r.path("reconciliation");
                String key = g.metric() == Metric.WEBHOOK_LOST ? "lost" : "duplicated";
                if (!rec.path(key).isNumber() || rec.path("sent").asLong(0) == 0)
                    notes.add(runName(r) + " sent no webhooks");
                else readings.add(new Reading(runName(r), null, rec.path(key).asDouble(), null));
            }
        } else if (g.atStores() == null) {
            for (JsonNode r : runs) for (JsonNode l : r.path("levels")) read(g, r, l, null, readings, notes);
        } else {
            int at = g.atStores();
            boolean anyExact = runs.stream().anyMatch(r -> level(r, at) != null);
            for (JsonNode r : runs) {
                JsonNode l = level(r, at);
                if (l != null) { read(g, r, l, null, readings, notes); continue; }
                if (anyExact) continue; // runs that have the level decide; the others were not asked
                JsonNode below = null;
                for (JsonNode x : r.path("levels"))
                    if (x.path("stores").asInt() <= at && (below == null || x.path("stores").asInt() > below.path("stores").asInt())) below = x;
                if (below == null) notes.add(runName(r) + " has no level at or below " + Fmt.num((double) at) + " stores");
                else read(g, r, below, "no " + Fmt.num((double) at) + "-store level; nearest below used", readings, notes);
            }
        }
        List<Reading> measured = readings.stream().filter(x -> x.value() != null).toList();
        if (measured.isEmpty()) {
            String why = notes.isEmpty() ? "nothing to measure" : String.join("; ", notes);
            return GateResult.fail(g.name(), "not measured: " + why);
        }
        List<String> misses = new ArrayList<>();
        Reading worst = null;
        for (Reading x : measured) {
            if (!g.limit().test(x.value()))
                misses.add(where(x) + ": " + g.metric().format(x.value()) + ", " + g.metric().formatLimit(g.limit().miss(x.value()))
                        + (g.limit().isFloor() ? " short" : " over") + (x.note() == null ? "" : " (" + x.note() + ")"));
            if (worst == null || (g.limit().isFloor() ? x.value() < worst.value() : x.value() > worst.value())) worst = x;
        }
        String tail = notes.isEmpty() ? "" : " [" + String.join("; ", notes) + "]";
        if (!misses.isEmpty()) return GateResult.fail(g.name(), String.join("; ", misses) + tail);
        return GateResult.pass(g.name(), (measured.size() > 1 ? "worst " : "") + g.metric().format(worst.value())
                + " (" + where(worst) + (worst.note() == null ? "" : ", " + worst.note()) + ")" + tail);
    }

    private static void read(Gate.MetricGate g, JsonNode run, JsonNode level, String note, List<Reading> out, List<String> notes) {
        JsonNode src = level;
        if (g.kind() != null) {
            src = level.path("byKind").path(g.kind());
            if (src.isMissingNode()) {
                notes.add(runName(run) + " at " + level.path("stores").asInt() + " stores has no '" + g.kind() + "' requests");
                return;
            }
        }
        JsonNode v = switch (g.metric()) {
            case P95_MS -> src.path("p95Ms");
            case P99_MS -> g.kind() == null ? src.path("requests").path("p99Ms") : src.path("p99Ms");
            case MEAN_MS -> g.kind() == null ? src.path("requests").path("meanMs") : src.path("meanMs");
            case ERROR_RATE -> src.path("errorRate");
            case CONNECTIONS -> src.path("serverConnections").path("max");
            case POOLER_CLIENTS -> src.path("poolerClients").path("max");
            case REFUSALS -> src.path("totalRefusals");
            default -> src.path("?");
        };
        out.add(new Reading(runName(run), level.path("stores").asInt(), v.isNumber() ? v.asDouble() : null, note));
    }

    private static JsonNode level(JsonNode run, int stores) {
        for (JsonNode l : run.path("levels")) if (l.path("stores").asInt() == stores) return l;
        return null;
    }

    private static List<JsonNode> selectRuns(JsonNode summary, String source, Gate.MetricGate g) {
        List<JsonNode> all = StreamSupport.stream(summary.get("runs").spliterator(), false).toList();
        List<JsonNode> sel = new ArrayList<>(all);
        if (g.run() != null) {
            sel.removeIf(r -> !g.run().equals(r.path("id").asText()) && !g.run().equals(r.path("config").path("id").asText()));
            if (sel.isEmpty())
                throw new GatesException(g.name() + ": run '" + g.run() + "' is not in " + source + " (runs there: "
                        + all.stream().map(GateEvaluator::runName).collect(Collectors.joining(", ")) + ")");
        }
        if (g.claim() != null) {
            JsonNode c = findClaim(summary, g.claim());
            String runId = c == null ? null : c.path("runId").asText(null);
            sel.removeIf(r -> !(runId != null && runId.equals(r.path("id").asText())) && !g.claim().equals(r.path("config").path("id").asText()));
            if (sel.isEmpty()) {
                if (c == null)
                    throw new GatesException(g.name() + ": claim '" + g.claim() + "' is not in " + source + " (claims there: "
                            + ids(summary.get("claims"), "id") + ")");
                return List.of(); // the claim exists but has no run: reported as not measured
            }
        }
        return sel;
    }

    private static String where(Reading x) {
        return x.run() + (x.stores() == null ? "" : " at " + Fmt.num((double) x.stores()) + " stores");
    }

    private static String runName(JsonNode r) {
        String id = r.path("id").asText("?"), cfg = r.path("config").path("id").asText(null);
        return cfg == null || cfg.equals(id) ? id : cfg + " (" + id + ")";
    }

    private static String ids(JsonNode arr, String field) {
        return StreamSupport.stream(arr.spliterator(), false).map(n -> n.path(field).asText("?")).collect(Collectors.joining(", "));
    }

    private static double round1(double v) { return Math.round(v * 10) / 10.0; }
}

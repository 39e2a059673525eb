package io.storecap.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storecap.model.Binding;
import io.storecap.model.ConnectionStats;
import io.storecap.model.Json;
import io.storecap.model.LevelResult;
import io.storecap.model.Measured;
import io.storecap.model.Reconciliation;
import io.storecap.model.RequestStats;
import io.storecap.model.RunConfig;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.fit.LinearFit;
import io.storecap.model.study.StudyModel;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds summary.json: every number the page shows, in a shape CI gates read. The schema is
 * documented in docs/SUMMARY-SCHEMA.md; bump {@link #SCHEMA_VERSION} when a key changes meaning
 * or disappears (adding keys does not need a bump).
 */
public final class SummaryJson {
    private SummaryJson() {}

    public static final int SCHEMA_VERSION = 1;

    public static ObjectNode build(StudyModel model, List<RunResult> runs, Map<String, Tier> tiers, ReportContext ctx) {
        return build(model, runs, tiers, ctx, List.of());
    }

    public static ObjectNode build(StudyModel model, List<RunResult> runs, Map<String, Tier> tiers, ReportContext ctx,
                                   List<ChartFile> charts) {
        return build(model, runs, tiers, ctx, charts, null);
    }

    /** As above, with the {@code baseline} block when the study was compared with a baseline ({@code --baseline}). */
    public static ObjectNode build(StudyModel model, List<RunResult> runs, Map<String, Tier> tiers, ReportContext ctx,
                                   List<ChartFile> charts, StudyComparison baseline) {
        ObjectNode root = Json.JSON.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("generatedAt", Instant.now().toString());
        root.set("metadata", metadata(runs, ctx));
        ArrayNode tldr = root.putArray("tldr");
        Tldr.lines(model, tiers, ctx.planningStores()).forEach(tldr::add);
        ArrayNode claims = root.putArray("claims");
        for (ClaimResult c : model.claims()) claims.add(claim(c, tiers.get(c.tier())).set("computeKnee", ComputeSection.json(c, ctx)));
        ArrayNode tierArr = root.putArray("tiers");
        tiers.values().forEach(t -> tierArr.add(tier(t)));
        root.set("assumptions", assumptions(ctx));
        ArrayNode targets = root.putArray("targets");
        for (Targets.Row row : Targets.compute(runs, ctx)) targets.add(target(row));
        ArrayNode runArr = root.putArray("runs");
        for (RunResult r : runs) runArr.add(run(r, ctx));
        ArrayNode notes = root.putArray("notes");
        model.notes().forEach(notes::add);
        // The model's later outputs, as the model defines them (record components become keys).
        root.set("validation", Json.JSON.valueToTree(model.validation()));
        root.set("tierCapacities", Json.JSON.valueToTree(model.tierCapacities()));
        root.set("serverless", Json.JSON.valueToTree(model.serverless()));
        root.set("explanations", Json.JSON.valueToTree(model.explanations()));
        root.set("modelChecks", Json.JSON.valueToTree(model.modelChecks()));
        root.set("modelValidation", Json.JSON.valueToTree(ctx.validation()));
        ArrayNode rts = root.putArray("runtimes");
        for (var v : model.runtimes()) {
            ObjectNode o = rts.addObject();
            o.put("claimId", v.claimId());
            o.put("runtime", v.runtime());
            o.put("baseline", v.baseline());
            o.put("runId", v.result().runId());
            o.put("verdict", v.result().verdict().name());
            o.set("measured", Json.JSON.valueToTree(v.result().measured()));
            o.set("settings", Json.JSON.valueToTree(new java.util.TreeMap<>(v.settings())));
        }
        ArrayNode chartArr = root.putArray("charts");
        for (ChartFile f : charts) {
            ObjectNode o = chartArr.addObject();
            o.put("id", f.id());
            o.put("title", f.title());
            o.put("png", f.png());
            o.put("svg", f.svg());
        }
        root.set("baseline", baseline == null ? Json.JSON.nullNode() : baseline.toJson());
        sanitize(root);
        return root;
    }

    /** NaN and infinities (Jackson would write them as strings) become null everywhere in the tree. */
    static void sanitize(JsonNode n) {
        if (n instanceof ObjectNode o) {
            List<String> bad = new java.util.ArrayList<>();
            o.fields().forEachRemaining(e -> {
                if (e.getValue().isDouble() || e.getValue().isFloat()) {
                    if (!Double.isFinite(e.getValue().asDouble())) bad.add(e.getKey());
                } else sanitize(e.getValue());
            });
            bad.forEach(o::putNull);
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode x = a.get(i);
                if ((x.isDouble() || x.isFloat()) && !Double.isFinite(x.asDouble())) a.set(i, Json.JSON.nullNode());
                else sanitize(x);
            }
        }
    }

    static ObjectNode metadata(List<RunResult> runs, ReportContext ctx) {
        ObjectNode m = Json.JSON.createObjectNode();
        m.put("title", ctx.title());
        m.put("studyMode", ctx.studyMode());
        m.put("studyId", ctx.studyId());
        m.put("commit", ctx.commit());
        m.put("startedAt", Fmt.isoInstant(ctx.startedEpochMs()));
        m.put("finishedAt", Fmt.isoInstant(ctx.finishedEpochMs()));
        if (ctx.startedEpochMs() != null && ctx.finishedEpochMs() != null)
            m.put("durationSeconds", (ctx.finishedEpochMs() - ctx.startedEpochMs()) / 1000.0);
        else m.putNull("durationSeconds");
        m.put("runCount", runs.size());
        ObjectNode env = m.putObject("environment");
        ctx.environment().forEach(env::put);
        ObjectNode links = m.putObject("gatlingReports");
        ctx.gatlingReports().forEach(links::put);
        ArrayNode notes = m.putArray("notes");
        ctx.notes().forEach(notes::add);
        return m;
    }

    static ObjectNode claim(ClaimResult c, Tier tier) {
        ObjectNode o = Json.JSON.createObjectNode();
        o.put("id", c.id());
        ObjectNode claimed = o.putObject("claimed");
        claimed.put("min", c.claimed().min());
        if (c.claimed().max() == null) claimed.putNull("max"); else claimed.put("max", c.claimed().max());
        claimed.put("text", c.claimed().text());
        o.put("claimedText", c.claimedText());
        Measured m = c.measured() == null ? Measured.unknown(Binding.NO_RUN) : c.measured();
        ObjectNode measured = o.putObject("measured");
        putNum(measured, "threshold", m.threshold());
        putNum(measured, "low", m.low());
        putNum(measured, "high", m.high());
        measured.put("binding", m.binding() == null ? null : m.binding().id());
        measured.put("lowerBound", m.lowerBound());
        measured.put("extrapolated", m.extrapolated());
        putNum(measured, "extrapolatedEstimate", m.extrapolatedEstimate());
        measured.put("kind", m.kind().id());
        measured.put("replicates", m.replicates());
        if (m.saturated() == null) measured.putNull("saturated"); else measured.put("saturated", m.saturated());
        o.put("verdict", c.verdict().name());
        o.put("reason", c.reason());
        o.put("tier", c.tier());
        o.put("route", c.route().id());
        o.put("usableConnections", c.usableConnections());
        o.put("runId", c.runId());
        o.set("fit", fit(c.fit()));
        o.set("fits", c.fits() == null ? Json.JSON.nullNode() : Json.JSON.valueToTree(c.fits()));
        ArrayNode levels = o.putArray("levels");
        c.levels().forEach(l -> levels.add(Json.JSON.valueToTree(l)));
        ArrayNode assumptions = o.putArray("assumptions");
        c.assumptions().forEach(assumptions::add);
        if (tier != null) o.put("monthlyCostUsd", tier.monthlyCostUsd()); else o.putNull("monthlyCostUsd");
        putNum(o, "costPerStoreUsd", costPerStore(c, tier));
        return o;
    }

    /** The model's figure when it gave one, else the tier's monthly cost over the threshold. */
    public static Double costPerStore(ClaimResult c, Tier tier) {
        if (c.costPerStoreUsd() != null) return c.costPerStoreUsd();
        Double t = c.measured() == null ? null : c.measured().threshold();
        return tier != null && t != null && t > 0 ? tier.monthlyCostUsd() / t : null;
    }

    static JsonNode fit(LinearFit f) {
        if (f == null) return Json.JSON.nullNode();
        ObjectNode o = Json.JSON.createObjectNode();
        putNum(o, "intercept", f.intercept());
        putNum(o, "slope", f.slope());
        putNum(o, "rSquared", f.rSquared());
        o.put("n", f.n());
        putNum(o, "residualStdError", f.residualStdError());
        putNum(o, "xMean", f.xMean());
        putNum(o, "sxx", f.sxx());
        putNum(o, "tCritical", f.tCritical());
        return o;
    }

    static ObjectNode tier(Tier t) {
        ObjectNode o = Json.JSON.createObjectNode();
        o.put("id", t.id());
        o.put("name", t.name());
        o.put("maxConnections", t.maxConnections());
        o.put("reserved", t.reserved());
        o.put("usableConnections", t.usableConnections());
        o.put("poolerPoolSize", t.poolerPoolSize());
        o.put("poolerMaxClientConn", t.poolerMaxClientConn());
        o.put("monthlyCostUsd", t.monthlyCostUsd());
        putNum(o, "computeUnits", t.computeUnits());
        return o;
    }

    static ObjectNode assumptions(ReportContext ctx) {
        ObjectNode a = Json.JSON.createObjectNode();
        a.set("profile", Json.JSON.valueToTree(ctx.profile()));
        a.put("planningStores", ctx.planningStores());
        a.put("currentStores", ctx.currentStores());
        return a;
    }

    static ObjectNode target(Targets.Row row) {
        ObjectNode o = Json.JSON.createObjectNode();
        o.put("id", row.id());
        o.put("target", row.target());
        o.put("goal", row.goal());
        if (row.stores() == null) o.putNull("stores"); else o.put("stores", row.stores());
        ArrayNode cells = o.putArray("measured");
        for (Targets.Cell c : row.cells()) {
            ObjectNode x = cells.addObject();
            x.put("runId", c.runId());
            putNum(x, "value", c.value());
            x.put("text", c.text());
            if (c.atStores() == null) x.putNull("atStores"); else x.put("atStores", c.atStores());
            x.put("status", c.status().name());
        }
        return o;
    }

    static ObjectNode run(RunResult r, ReportContext ctx) {
        ObjectNode o = Json.JSON.createObjectNode();
        RunConfig c = r.config();
        o.put("id", r.runId());
        ObjectNode cfg = o.putObject("config");
        cfg.put("id", c.id());
        cfg.put("tier", c.tier().id());
        cfg.put("maxConnections", c.tier().maxConnections());
        cfg.put("usableConnections", c.tier().usableConnections());
        cfg.put("route", c.route().id());
        cfg.put("mode", c.mode().id());
        cfg.put("runtime", c.runtime());
        cfg.put("connectionLimit", c.connectionLimit());
        cfg.put("idleTtlSeconds", c.idleTtlSeconds());
        cfg.put("coldStartMs", c.coldStartMs());
        ArrayNode lv = cfg.putArray("levels");
        c.levels().forEach(lv::add);
        cfg.put("levelSeconds", c.levelSeconds());
        cfg.put("settleSeconds", c.settleSeconds());
        cfg.put("provider", c.provider());
        ObjectNode opts = cfg.putObject("serviceOptions");
        c.serviceOptions().forEach(opts::put);
        String pattern = io.storecap.model.RunRoles.pattern(r);
        if (pattern == null) cfg.putNull("pattern"); else cfg.put("pattern", pattern);
        o.put("startedAt", Fmt.isoInstant(r.startedEpochMs()));
        o.put("finishedAt", Fmt.isoInstant(r.finishedEpochMs()));
        if (r.seed() == null) o.putNull("seed"); else o.put("seed", r.seed());
        o.set("search", r.search() == null ? Json.JSON.nullNode() : Json.JSON.valueToTree(r.search()));
        ArrayNode scales = o.putArray("levelTimeScales");
        r.levels().forEach(l -> scales.add(l.timeScale()));
        o.put("gatlingReport", ctx.gatlingReports().get(r.runId()));
        Reconciliation rec = r.reconciliation();
        ObjectNode re = o.putObject("reconciliation");
        re.put("sent", rec.sent());
        re.put("acknowledged", rec.acknowledged());
        re.put("stored", rec.stored());
        re.put("duplicated", rec.duplicated());
        re.put("lost", rec.lost());
        ArrayNode levels = o.putArray("levels");
        for (LevelResult l : r.levels()) levels.add(level(l));
        ArrayNode notes = o.putArray("notes");
        r.notes().forEach(notes::add);
        return o;
    }

    static ObjectNode level(LevelResult l) {
        ObjectNode o = Json.JSON.createObjectNode();
        o.put("stores", l.stores());
        o.put("startedAt", Fmt.isoInstant(l.startEpochMs()));
        o.put("durationSeconds", Math.max(0, l.endEpochMs() - l.startEpochMs()) / 1000.0);
        putNum(o, "targetRps", l.targetRps());
        putNum(o, "achievedRps", l.achievedRps());
        putNum(o, "injectionRatio", l.injectionRatio());
        RequestStats q = l.requests() == null ? RequestStats.EMPTY : l.requests();
        putNum(o, "p95Ms", q.p95Ms());
        putNum(o, "errorRate", q.errorRate());
        o.set("requests", requests(q));
        o.set("serverConnections", conn(l.serverConnections()));
        o.set("serverActive", conn(l.serverActive()));
        o.set("poolerClients", conn(l.poolerClients()));
        o.set("poolerWaiting", conn(l.poolerWaiting()));
        // a deployment's instances are unknown: null, never a zero
        o.set("warmInstances", seen(l.warmInstances()));
        ObjectNode ref = o.putObject("refusals");
        l.refusals().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> ref.put(e.getKey(), e.getValue()));
        o.put("totalRefusals", l.totalRefusals());
        o.put("coldStarts", l.coldStarts());
        putNum(o, "webhookDelayP99Ms", l.webhookDelayP99Ms());
        putNum(o, "webhookDelayMaxMs", l.webhookDelayMaxMs());
        putNum(o, "cpuMean", l.cpuMean());
        putNum(o, "cpuMax", l.cpuMax());
        ObjectNode kinds = o.putObject("byKind");
        l.byKind().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> kinds.set(e.getKey(), requests(e.getValue())));
        return o;
    }

    static ObjectNode requests(RequestStats s) {
        ObjectNode o = Json.JSON.createObjectNode();
        o.put("count", s.count());
        o.put("ok", s.ok());
        o.put("ko", s.ko());
        putNum(o, "errorRate", s.errorRate());
        putNum(o, "meanMs", s.meanMs());
        putNum(o, "p50Ms", s.p50Ms());
        putNum(o, "p95Ms", s.p95Ms());
        putNum(o, "p99Ms", s.p99Ms());
        putNum(o, "maxMs", s.maxMs());
        return o;
    }

    /** {@link #conn}, or null when nothing was sampled (what the target did not show). */
    static com.fasterxml.jackson.databind.JsonNode seen(ConnectionStats s) {
        return s == null || s.samples() == 0 ? Json.JSON.nullNode() : conn(s);
    }

    static ObjectNode conn(ConnectionStats s) {
        ConnectionStats c = s == null ? ConnectionStats.EMPTY : s;
        ObjectNode o = Json.JSON.createObjectNode();
        putNum(o, "mean", c.mean());
        putNum(o, "p95", c.p95());
        putNum(o, "max", c.max());
        o.put("samples", c.samples());
        return o;
    }

    /** Numbers JSON can hold: NaN and infinities become null, so every reader can parse the file. */
    static void putNum(ObjectNode o, String key, Double v) {
        if (v == null || !Double.isFinite(v)) o.putNull(key); else o.put(key, v);
    }
}

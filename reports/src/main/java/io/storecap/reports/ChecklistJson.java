package io.storecap.reports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storecap.model.Json;
import io.storecap.model.checklist.Alerts;
import io.storecap.model.checklist.ChecklistResult;
import io.storecap.model.checklist.ChecklistStep;
import io.storecap.model.checklist.Comparison;
import io.storecap.model.checklist.Effect;
import io.storecap.model.checklist.Estimate;
import io.storecap.model.checklist.Ranking;
import io.storecap.model.checklist.Reading;
import io.storecap.model.checklist.TargetCheck;

/**
 * summary.json of a checklist study ({@code study --checklist}): {@code checklist[]} (per step and
 * condition: id, off, on, effect, with the metric and the others measured beside), {@code alerts[]},
 * {@code ranking[]}, {@code targets[]}; docs/SUMMARY-SCHEMA.md describes every field. The page is
 * drawn from the same {@link ChecklistResult}, so the two cannot disagree.
 */
public final class ChecklistJson {
    private ChecklistJson() {}

    public static ObjectNode build(ChecklistResult r, ObjectNode metadata) {
        ObjectNode root = Json.JSON.createObjectNode();
        root.put("kind", "checklist");
        root.set("metadata", metadata == null ? Json.JSON.createObjectNode() : metadata);
        ArrayNode steps = root.putArray("checklist");
        for (ChecklistStep s : r.steps()) {
            ObjectNode n = steps.addObject();
            n.put("id", s.id());
            n.put("step", s.step());
            n.put("title", s.title());
            n.put("condition", s.condition());
            n.put("stores", s.stores());
            n.put("offConfig", s.offLabel());
            n.put("onConfig", s.onLabel());
            comparison(n, s.primary());
            ArrayNode others = n.putArray("others");
            for (Comparison c : s.others()) comparison(others.addObject(), c);
        }
        ArrayNode alerts = root.putArray("alerts");
        for (ChecklistResult.ConfigAlerts a : r.configs()) {
            ObjectNode n = alerts.addObject();
            n.put("config", a.id());
            n.put("words", a.words());
            n.put("monthlyCostUsd", a.monthlyCostUsd());
            ObjectNode cap = n.putObject("capacity");
            cap.put("held", a.capacity().held());
            cap.put("failed", a.capacity().failed());
            cap.put("knee", a.capacity().knee());
            cap.put("words", a.capacity().words());
            n.put("storesPerDollar", a.storesPerDollar());
            ArrayNode rules = n.putArray("rules");
            for (Alerts.FirstFire f : a.alerts().values()) {
                ObjectNode x = rules.addObject();
                x.put("id", f.rule().id());
                x.put("rule", f.rule().words);
                x.put("quietAt", f.quietAt());
                x.put("firesAt", f.firesAt());
                x.put("estimate", f.estimate());
                x.put("words", f.words());
            }
            n.put("suggestedConnectionThreshold", a.suggestedConnections());
            ArrayNode levels = n.putArray("readings");
            for (Reading x : a.readings()) {
                ObjectNode l = levels.addObject();
                l.put("stores", x.stores());
                l.put("peakConnections", x.peakConnections());
                l.put("errorRate", x.errorRate());
                l.put("p95Ms", x.p95Ms());
                l.put("holds", x.holds());
            }
        }
        ArrayNode ranking = root.putArray("ranking");
        for (Ranking.Ranked k : r.ranking()) {
            ObjectNode n = ranking.addObject();
            n.put("rank", k.rank());
            n.put("id", k.step().id());
            n.put("words", k.step().words());
            n.put("capacityGainStores", k.step().capacityGainStores());
            n.put("capacityLowerBound", k.step().capacityLowerBound());
            n.put("p95GainMs", k.step().p95GainMs());
            n.put("hours", k.step().hours());
            n.put("monthlyCostUsd", k.step().monthlyCostUsd());
            n.put("storesPerHour", k.storesPerHour());
            n.put("storesPerDollar", k.storesPerDollar());
            n.put("msPerHour", k.msPerHour());
            n.put("msPerDollar", k.msPerDollar());
            n.put("matters", k.matters());
            n.put("atYourTraffic", k.step().atYourTraffic());
            Effect t = k.step().atTraffic();
            if (t == null) n.putNull("atTrafficEffect");
            else {
                ObjectNode x = n.putObject("atTrafficEffect");
                x.put("value", t.value());
                interval(x, t.low(), t.high());
                x.put("band", t.band());
                x.put("size", t.size().id());
            }
        }
        ArrayNode targets = root.putArray("targets");
        for (TargetCheck t : r.targets()) {
            ObjectNode n = targets.addObject();
            n.put("id", t.id());
            n.put("target", t.target());
            n.put("goal", t.goal());
            n.put("stores", t.stores());
            if (t.measured() != null) estimate(n.putObject("measured"), t.measured());
            else n.putNull("measured");
            n.put("status", t.status().id());
            n.put("note", t.note());
        }
        ArrayNode notes = root.putArray("notes");
        r.notes().forEach(notes::add);
        return root;
    }

    private static void comparison(ObjectNode n, Comparison c) {
        n.put("metric", c.metric().id());
        n.put("unit", c.metric().unit);
        n.put("lowerIsBetter", c.metric().lowerIsBetter);
        estimate(n.putObject("off"), c.off());
        estimate(n.putObject("on"), c.on());
        Effect e = c.effect();
        ObjectNode x = n.putObject("effect");
        x.put("value", e.value());
        interval(x, e.low(), e.high());
        x.put("band", e.band());
        x.put("bandWords", c.metric().bandWords());
        x.put("size", e.size().id());
        x.put("direction", e.direction().id());
        x.put("confidence", e.confidence());
        x.put("drift", e.drift());
    }

    private static void estimate(ObjectNode n, Estimate e) {
        n.put("value", e.value());
        interval(n, e.low(), e.high());
        n.put("count", e.count());
    }

    private static void interval(ObjectNode n, Double low, Double high) {
        ArrayNode i = n.putArray("interval");
        if (low == null) i.addNull(); else i.add(low);
        if (high == null) i.addNull(); else i.add(high);
    }
}

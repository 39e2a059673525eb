package io.storecap.model.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.storecap.model.ConfigSchema;
import io.storecap.model.Json;
import io.storecap.model.Numbers;
import io.storecap.model.TrafficProfile;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes an estimate as a traffic profile in config/profile.yaml's format, so {@code study --profile}
 * takes it. Every rate from the logs says in its reason where it comes from (requests, rules, files,
 * whole hours, stores, which hour); what the logs cannot give (Shopify's delivery, bursts, the BFCM
 * multiplier, kinds the logs do not have) is copied from the base profile and says so; the
 * {@code provenance} block (config/schema/profile.schema.json) lists the files, windows and fits.
 */
final class ProfileWriter {
    private ProfileWriter() {}

    private static final YAMLMapper YAML = ((YAMLMapper) Json.YAML.copy())
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES);
    static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

    /** The base profile: its parsed form, its tree (copied as written) and its file. */
    record Base(String file, TrafficProfile profile, JsonNode tree) {}

    /** What the provenance says beside the estimate. */
    record Meta(String name, Instant generatedAt, String rules, List<LogReader.Outcome> sources, Map<String, Long> unclassifiedByFile) {}

    /** The profile's text and the notes its provenance lists (what was kept from the base, what was left out). */
    record Written(String yaml, List<String> notes) {}

    static Written write(TrafficEstimate e, Base base, Meta meta) {
        ObjectNode root = Json.JSON.createObjectNode();
        List<String> notes = new ArrayList<>(e.notes());
        root.put("name", meta.name());
        root.put("phase", base.profile().phase());
        root.set("perStorePerHour", rates(e, base, "perStorePerHour", TrafficProfile.STORE_KINDS, notes));
        ObjectNode global = rates(e, base, "globalPerHour", TrafficProfile.GLOBAL_KINDS, notes);
        if (!global.isEmpty()) root.set("globalPerHour", global);
        setIfAny(root, "webhookTopics", topics(e, base, notes));
        for (String copied : List.of("shopify")) if (base.tree().has(copied)) root.set(copied, base.tree().get(copied).deepCopy());
        setIfAny(root, "storeSizes", storeSizes(e, base, notes));
        for (String copied : List.of("bursts", "bfcmMultiplier")) if (base.tree().has(copied)) root.set(copied, base.tree().get(copied).deepCopy());
        List<String> kept = List.of("shopify", "bursts", "bfcmMultiplier").stream().filter(base.tree()::has).toList();
        if (!kept.isEmpty()) notes.add(String.join(", ", kept) + (kept.size() == 1 ? " is " : " are ") + base.file() + "'s: logs do not show them");
        root.set("provenance", provenance(e, base, meta, notes));
        String header = """
                # A traffic profile written by ./storecap profile from-logs at %s from the app's own logs.
                # Each rate's reason says where it comes from; the provenance block at the end lists the files,
                # their lines and windows. Figures the logs cannot give are %s's and say so.
                # Run a study on it: ./storecap study --profile THIS_FILE
                """.formatted(meta.generatedAt(), base.file());
        try {
            return new Written(header + YAML.writeValueAsString(root), List.copyOf(notes));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write the profile as YAML: " + ex.getMessage(), ex);
        }
    }

    /** A field kept from a base that lacks it stays out (the parser's default then applies, as it did for the base). */
    private static void setIfAny(ObjectNode root, String field, JsonNode value) {
        if (value != null && !value.isMissingNode()) root.set(field, value);
    }

    private static ObjectNode rates(TrafficEstimate e, Base base, String field, Set<String> kinds, List<String> notes) {
        ObjectNode out = Json.JSON.createObjectNode();
        Set<String> order = new LinkedHashSet<>();
        base.tree().path(field).fieldNames().forEachRemaining(order::add);
        e.rates().forEach(r -> { if (kinds.contains(r.kind())) order.add(r.kind()); });
        for (String kind : order) {
            TrafficEstimate.KindRate r = e.rate(kind);
            if (r == null) {
                ObjectNode kept = base.tree().path(field).path(kind).deepCopy();
                kept.put("reason", "Not in the logs (no request of this kind): kept from " + base.file() + ". " + kept.path("reason").asText());
                out.set(kind, kept);
                notes.add(kind + ": not in the logs, kept from " + base.file());
                continue;
            }
            ObjectNode n = out.putObject(kind);
            n.put("baseline", round(r.baseline()));
            n.put("peak", round(r.peak()));
            n.put("reason", reason(r, e));
        }
        return out;
    }

    /** Where a rate comes from, in a sentence a reader of the profile can check against the logs. */
    static String reason(TrafficEstimate.KindRate r, TrafficEstimate e) {
        TrafficEstimate.Window w = r.window();
        boolean deliveries = w.feed().equals(LogTally.DELIVERIES);
        String noun = deliveries ? " deliveries" : " requests";
        String what = deliveries ? "webhook deliveries in " + String.join(", ", w.files())
                : "requests by " + String.join(", ", r.countedBy()) + " in " + String.join(", ", w.files());
        double divisor = r.perStore() ? e.stores() : 1;
        return "From the logs: " + Numbers.num((double) r.requests()) + " " + what
                + ", over " + w.wholeHours() + " whole hour" + (w.wholeHours() == 1 ? "" : "s") + " from " + MINUTE.format(Instant.ofEpochMilli(w.fromMs()))
                + " to " + MINUTE.format(Instant.ofEpochMilli(w.toMs())) + (r.perStore() ? ", " + Numbers.num((double) e.stores()) + " stores" : "")
                + ". Baseline: the median hour, " + Numbers.num(r.baseline() * divisor) + noun + perStore(r, r.baseline())
                + "; peak: the busiest hour, " + MINUTE.format(Instant.ofEpochMilli(r.peakHourMs())) + ", " + Numbers.num(r.peak() * divisor)
                + noun + perStore(r, r.peak()) + ".";
    }

    private static String perStore(TrafficEstimate.KindRate r, double rate) {
        return r.perStore() ? " (" + Numbers.num(round(rate)) + " a store)" : "";
    }

    private static JsonNode topics(TrafficEstimate e, Base base, List<String> notes) {
        if (e.topics().isEmpty()) {
            notes.add("webhookTopics: no webhook deliveries given (--webhooks), kept from " + base.file());
            return base.tree().path("webhookTopics").deepCopy();
        }
        Set<String> known = new LinkedHashSet<>();
        ConfigSchema.PROFILE.schemaNode().at("/properties/webhookTopics/properties").fieldNames().forEachRemaining(known::add);
        long all = e.topics().values().stream().mapToLong(Long::longValue).sum();
        long usable = e.topics().entrySet().stream().filter(t -> known.contains(t.getKey())).mapToLong(Map.Entry::getValue).sum();
        List<String> unknown = e.topics().keySet().stream().filter(t -> !known.contains(t)).sorted().toList();
        if (!unknown.isEmpty())
            notes.add("webhook topics the service does not handle, counted in the webhook rate but not in webhookTopics: " + String.join(", ", unknown));
        if (usable == 0) {
            notes.add("webhookTopics: none of the delivered topics is one the service handles, kept from " + base.file());
            return base.tree().path("webhookTopics").deepCopy();
        }
        ObjectNode out = Json.JSON.createObjectNode();
        for (String t : known) {
            Long n = e.topics().get(t);
            if (n != null) out.put(t, round((double) n / usable));
        }
        if (usable < all) notes.add("webhookTopics: shares of the " + Numbers.num((double) usable) + " of " + Numbers.num((double) all)
                + " deliveries whose topic the service handles");
        return out;
    }

    private static JsonNode storeSizes(TrafficEstimate e, Base base, List<String> notes) {
        ZipfFit z = e.zipf();
        if (z == null) {
            notes.add("storeSizes: fewer than " + ZipfFit.MIN_STORES + " stores named in the logs, kept from " + base.file());
            return base.tree().path("storeSizes").deepCopy();
        }
        ObjectNode n = Json.JSON.createObjectNode();
        n.put("zipfExponent", round3(z.exponent()));
        n.put("reason", "From the logs: fitted by maximum likelihood to the requests of " + Numbers.num((double) z.stores()) + " stores ("
                + Numbers.num((double) z.requests()) + " requests of per-store kinds that name their store), ranked by size: "
                + round3(z.exponent()) + ", 95 % interval " + round3(z.low()) + " to " + round3(z.high()) + ". "
                + (z.dispersion() > 1 ? "The stores scatter around the Zipf line " + Numbers.num(z.dispersion())
                + " times as much as Poisson noise would, so Zipf describes them roughly and the interval is widened to say so."
                : "The stores scatter around the Zipf line no more than Poisson noise would."));
        return n;
    }

    private static ObjectNode provenance(TrafficEstimate e, Base base, Meta meta, List<String> notes) {
        ObjectNode p = Json.JSON.createObjectNode();
        p.put("generatedBy", "./storecap profile from-logs");
        p.put("generatedAt", meta.generatedAt().toString());
        p.put("base", base.file());
        p.put("rules", meta.rules());
        ArrayNode sources = p.putArray("sources");
        for (LogReader.Outcome o : meta.sources()) {
            ObjectNode s = sources.addObject();
            s.put("file", o.file());
            s.put("format", o.format().id());
            s.put("lines", o.lines());
            s.put("counted", o.records());
            s.put("skipped", o.skipped());
            if (o.format() != LogFormat.WEBHOOKS_CSV) s.put("unclassified", meta.unclassifiedByFile().getOrDefault(o.file(), 0L));
            s.put("from", Instant.ofEpochMilli(o.firstMs()).toString());
            s.put("to", Instant.ofEpochMilli(o.lastMs()).toString());
        }
        ArrayNode windows = p.putArray("windows");
        for (TrafficEstimate.Window w : e.windows()) {
            ObjectNode n = windows.addObject();
            w.kinds().forEach(n.putArray("kinds")::add);
            w.files().forEach(n.putArray("files")::add);
            n.put("from", Instant.ofEpochMilli(w.fromMs()).toString());
            n.put("to", Instant.ofEpochMilli(w.toMs()).toString());
            n.put("wholeHours", w.wholeHours());
        }
        ObjectNode stores = p.putObject("stores");
        stores.put("count", e.stores());
        stores.put("seen", e.storesSeen());
        stores.put("from", e.stores() == e.storesSeen() ? "the distinct stores the logs name" : "--stores");
        if (e.busiestHour() != null) {
            p.putObject("busiestHour").put("start", Instant.ofEpochMilli(e.busiestHour().startMs()).toString())
                    .put("requests", e.busiestHour().requests());
        }
        if (e.minutePeak() != null) {
            TrafficEstimate.MinutePeak m = e.minutePeak();
            p.putObject("peakToMeanByMinute").put("ratio", round3(m.ratio())).put("minute", Instant.ofEpochMilli(m.minuteMs()).toString())
                    .put("meanPerMinute", round(m.meanPerMinute())).put("poissonAlone", round3(m.poissonAlone()));
        }
        if (e.zipf() != null) {
            ZipfFit z = e.zipf();
            p.putObject("storeSizes").put("zipfExponent", round3(z.exponent())).put("low", round3(z.low())).put("high", round3(z.high()))
                    .put("stores", z.stores()).put("requests", z.requests()).put("dispersion", round(z.dispersion()));
        }
        if (!e.unclassified().isEmpty()) {
            ArrayNode u = p.putArray("unclassified");
            e.unclassified().forEach(c -> u.addObject().put("path", c.path()).put("requests", c.requests()));
        }
        notes.forEach(p.putArray("notes")::add);
        return p;
    }

    /** Four significant digits: a rate's precision, whatever its size. */
    static double round(double v) {
        return v == 0 || !Double.isFinite(v) ? 0 : new BigDecimal(v).round(new MathContext(4)).doubleValue();
    }

    static double round3(double v) { return Math.round(v * 1000) / 1000.0; }
}

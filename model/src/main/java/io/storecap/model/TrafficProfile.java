package io.storecap.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The traffic profile: per-store and global request rates per hour (baseline and peak) with the
 * reason for each, the webhook topic mix and Shopify's delivery settings. Read from YAML, checked
 * against config/schema/profile.schema.json ({@link ConfigSchema#PROFILE}) and then here, with
 * errors that name the file and the field. A profile written by {@code profile from-logs} also has a
 * {@code provenance} block (where its figures come from); the schema checks it and a study ignores it.
 *
 * @param name            profile name, shown in the report
 * @param phase           which column the stair runs at: peak or baseline
 * @param perStorePerHour request kind -> rates per store per hour
 * @param globalPerHour   request kind -> rates per hour that do not grow with stores
 * @param webhookTopics   topic -> share (normalised to sum to 1)
 * @param shopify         webhook delivery: timeout and retries
 * @param storeSizes      how traffic spreads over stores (a few big ones, many small ones)
 * @param bursts          a merchant's bulk product edit and a flash sale (burst scenario)
 * @param bfcmMultiplier  the peak scenario's multiplier of peak rates (Black Friday / Cyber Monday)
 */
public record TrafficProfile(String name, String phase, Map<String, Rate> perStorePerHour,
                             Map<String, Rate> globalPerHour, Map<String, Double> webhookTopics, Shopify shopify,
                             StoreSizes storeSizes, Bursts bursts, Multiplier bfcmMultiplier) {

    /**
     * Store sizes: store i (1-based) gets a share of the traffic proportional to i^-exponent (Zipf),
     * so store 1 is the biggest; exponent 0 is every store alike. The per-store rates above are the
     * average store's, so the total is the same whatever the spread.
     */
    public record StoreSizes(double zipfExponent, String reason) {}

    /** A bulk product edit: {@code webhooks} products/update webhooks from one store within {@code withinSeconds}. */
    public record Bursts(int bulkEditWebhooks, double bulkEditSeconds, double flashSaleMultiplier, String reason) {}

    /** A multiplier with its reason. */
    public record Multiplier(double value, String reason) {}

    /** Request kinds the simulation knows how to send. */
    public static final Set<String> STORE_KINDS = Set.of("cart-event", "recommendations", "webhook", "admin-session");
    public static final Set<String> GLOBAL_KINDS = Set.of("dashboard");

    /** A rate per hour at baseline and at peak, with why it is what it is. */
    public record Rate(double baseline, double peak, String reason) {
        public double at(String phase) { return phase.equals("peak") ? peak : baseline; }
    }

    /**
     * Shopify's webhook delivery, as production does it; {@link ShopifyDelivery} parses it and says
     * how a run applies it (the schedule divided by {@code retryCompression}, stretched by the level's
     * time scale k).
     *
     * @param timeoutSeconds        a delivery attempt's total timeout (Shopify: 5 s)
     * @param maxAttempts           attempts per webhook id: the first and the retries (Shopify: 1 + 8)
     * @param backoffMs             production wait before each retry, ms, one per retry (the last repeats)
     * @param connectTimeoutSeconds the connect timeout (Shopify: 1 s)
     * @param retryCompression      a run divides every wait by this (1 = Shopify's real schedule)
     * @param eventRedeliveryShare  share of events delivered once more under a new webhook id with the
     *                              same X-Shopify-Event-Id, as Shopify may
     * @param reasons               field -> why its value is what it is (and where it comes from)
     */
    public record Shopify(double timeoutSeconds, int maxAttempts, List<Long> backoffMs, double connectTimeoutSeconds,
                          double retryCompression, double eventRedeliveryShare, Map<String, String> reasons) {
        /** An explicit schedule, used as given: no compression, no redelivery (older profiles and run.json files). */
        public Shopify(double timeoutSeconds, int maxAttempts, List<Long> backoffMs) {
            this(timeoutSeconds, maxAttempts, backoffMs, 1, 1, 0, Map.of());
        }

        /** Production wait before retry {@code retry} (1 = the first retry), ms; the last listed wait repeats. */
        public long backoffBeforeRetryMs(int retry) {
            if (backoffMs == null || backoffMs.isEmpty() || retry < 1) return 0;
            return backoffMs.get(Math.min(retry - 1, backoffMs.size() - 1));
        }

        /** Production time from the first attempt to the last retry, waits only (Shopify: about 4 h). */
        public long retryWindowMs() {
            long sum = 0;
            for (int r = 1; r < maxAttempts; r++) sum += backoffBeforeRetryMs(r);
            return sum;
        }

        /** The divisor a run applies to every wait; 1 when absent (a run.json written before it existed). */
        public double compression() { return retryCompression >= 1 ? retryCompression : 1; }

        /** The wait before a retry as the injector applies it at time scale k: compressed, then stretched by k. */
        public long runBackoffMs(int retry, double k) { return Math.round(backoffBeforeRetryMs(retry) / compression() * k); }

        /**
         * The longest one delivery (one webhook id) can last in a run at time scale k: every wait of
         * the compressed schedule and every attempt running into its timeout.
         */
        public long deliveryHorizonMs(double k) {
            long sum = 0;
            for (int r = 1; r < maxAttempts; r++) sum += runBackoffMs(r, k);
            return sum + Math.round(maxAttempts * timeoutSeconds * 1000 * k);
        }
    }

    /** The same profile with every rate multiplied (the peak / BFCM scenario). */
    public TrafficProfile scaled(double factor) {
        if (factor == 1) return this;
        Map<String, Rate> ps = new LinkedHashMap<>();
        perStorePerHour.forEach((k, r) -> ps.put(k, new Rate(r.baseline() * factor, r.peak() * factor, r.reason())));
        return new TrafficProfile(name + " x" + factor, phase, ps, globalPerHour, webhookTopics, shopify, storeSizes, bursts, bfcmMultiplier);
    }

    /** Requests per second of one kind at a store count. */
    public double rps(String kind, int stores) {
        Rate r = perStorePerHour.get(kind);
        if (r != null) return stores * r.at(phase) / 3600.0;
        Rate g = globalPerHour.get(kind);
        return g == null ? 0 : g.at(phase) / 3600.0;
    }

    /** All kinds with a non-zero rate, per-store kinds first. */
    public List<String> kinds() {
        List<String> k = new ArrayList<>();
        perStorePerHour.forEach((name, r) -> { if (r.at(phase) > 0) k.add(name); });
        globalPerHour.forEach((name, r) -> { if (r.at(phase) > 0) k.add(name); });
        return k;
    }

    /** Total requests per second at a store count. */
    public double totalRps(int stores) {
        return kinds().stream().mapToDouble(k -> rps(k, stores)).sum();
    }

    /** The profile as a plain map, for run.json and the report. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> asMap() {
        return Json.JSON.convertValue(this, Map.class);
    }

    public static TrafficProfile load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("profile file " + file + " does not exist (the default is config/profile.yaml)");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read profile file " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    public static TrafficProfile parse(String yaml, String source) {
        JsonNode root;
        try {
            root = Json.YAML.readTree(yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException(source + ": expected a mapping with perStorePerHour, ...");
        // the request kinds before the schema: the message lists the kinds this simulation sends
        requestKinds(root.path("perStorePerHour"), source, "perStorePerHour", STORE_KINDS);
        requestKinds(root.path("globalPerHour"), source, "globalPerHour", GLOBAL_KINDS);
        ConfigSchema.PROFILE.validate(root, source); // config/schema/profile.schema.json; what follows is what a schema cannot say
        allowOnly(root, source, "", Set.of("name", "phase", "perStorePerHour", "globalPerHour", "webhookTopics", "shopify",
                "storeSizes", "bursts", "bfcmMultiplier", "provenance")); // provenance: informational, see the schema
        String name = root.path("name").asText("unnamed");
        String phase = root.path("phase").asText("peak");
        if (!phase.equals("peak") && !phase.equals("baseline"))
            throw new IllegalArgumentException(source + ": phase must be peak or baseline, was '" + phase + "'");
        Map<String, Rate> perStore = rates(root.path("perStorePerHour"), source, "perStorePerHour", STORE_KINDS);
        Map<String, Rate> global = rates(root.path("globalPerHour"), source, "globalPerHour", GLOBAL_KINDS);
        if (perStore.isEmpty()) throw new IllegalArgumentException(source + ": perStorePerHour must list at least one request kind of " + STORE_KINDS);
        Map<String, Double> topics = new LinkedHashMap<>();
        JsonNode t = root.path("webhookTopics");
        double sum = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
            var e = it.next();
            // which topics the service handles is config/schema/profile.schema.json's enum (checked above; a runner
            // test holds it equal to the service's Webhooks.TOPICS, since the model does not depend on the service)
            double share = number(e.getValue(), source, "webhookTopics." + e.getKey());
            topics.put(e.getKey(), share);
            sum += share;
        }
        if (topics.isEmpty()) topics.put("orders/create", 1.0);
        else if (sum <= 0) throw new IllegalArgumentException(source + ": webhookTopics shares must add up to more than 0");
        else {
            double s = sum;
            topics.replaceAll((k, v) -> v / s);
        }
        Shopify shopify = ShopifyDelivery.parse(root.path("shopify"), source);
        JsonNode sz = root.path("storeSizes");
        allowOnly(sz, source, "storeSizes.", Set.of("zipfExponent", "reason"));
        double zipf = sz.has("zipfExponent") ? number(sz.get("zipfExponent"), source, "storeSizes.zipfExponent") : 0;
        if (zipf > 3) throw new IllegalArgumentException(source + ": storeSizes.zipfExponent must be 0..3 (0 = all stores alike), was " + zipf);
        JsonNode bu = root.path("bursts");
        allowOnly(bu, source, "bursts.", Set.of("bulkEditWebhooks", "bulkEditSeconds", "flashSaleMultiplier", "reason"));
        int bulk = bu.has("bulkEditWebhooks") ? (int) number(bu.get("bulkEditWebhooks"), source, "bursts.bulkEditWebhooks") : 300;
        double bulkSeconds = bu.has("bulkEditSeconds") ? number(bu.get("bulkEditSeconds"), source, "bursts.bulkEditSeconds") : 60;
        double flash = bu.has("flashSaleMultiplier") ? number(bu.get("flashSaleMultiplier"), source, "bursts.flashSaleMultiplier") : 10;
        if (bulkSeconds <= 0) throw new IllegalArgumentException(source + ": bursts.bulkEditSeconds must be > 0");
        if (flash < 1) throw new IllegalArgumentException(source + ": bursts.flashSaleMultiplier must be >= 1, was " + flash);
        JsonNode bf = root.path("bfcmMultiplier");
        allowOnly(bf, source, "bfcmMultiplier.", Set.of("value", "reason"));
        double bfcm = bf.has("value") ? number(bf.get("value"), source, "bfcmMultiplier.value") : 3;
        if (bfcm < 1) throw new IllegalArgumentException(source + ": bfcmMultiplier.value must be >= 1, was " + bfcm);
        return new TrafficProfile(name, phase, perStore, global, topics, shopify,
                new StoreSizes(zipf, sz.path("reason").asText("")), new Bursts(bulk, bulkSeconds, flash, bu.path("reason").asText("")),
                new Multiplier(bfcm, bf.path("reason").asText("")));
    }

    private static Map<String, Rate> rates(JsonNode node, String source, String field, Set<String> known) {
        Map<String, Rate> out = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) return out;
        if (!node.isObject()) throw new IllegalArgumentException(source + ": " + field + " must be a mapping of request kind to rates");
        requestKinds(node, source, field, known);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            String where = field + "." + e.getKey();
            JsonNode r = e.getValue();
            allowOnly(r, source, where + ".", Set.of("baseline", "peak", "reason"));
            double base = number(r.path("baseline"), source, where + ".baseline");
            double peak = number(r.path("peak"), source, where + ".peak");
            if (peak < base) throw new IllegalArgumentException(source + ": " + where + ": peak (" + peak + ") is below baseline (" + base + ")");
            String reason = r.path("reason").asText("");
            if (reason.isBlank()) throw new IllegalArgumentException(source + ": " + where + ".reason is missing: every default needs its reason");
            out.put(e.getKey(), new Rate(base, peak, reason.strip()));
        }
        return out;
    }

    /** Every key of a rates mapping must be a request kind the simulation knows. */
    private static void requestKinds(JsonNode node, String source, String field, Set<String> known) {
        if (!node.isObject()) return;
        node.fieldNames().forEachRemaining(kind -> {
            if (!known.contains(kind))
                throw new IllegalArgumentException(source + ": " + field + "." + kind + ": unknown request kind; known kinds here: " + known);
        });
    }

    static double number(JsonNode n, String source, String field) {
        if (n == null || n.isMissingNode() || n.isNull()) throw new IllegalArgumentException(source + ": " + field + " is missing");
        if (!n.isNumber()) throw new IllegalArgumentException(source + ": " + field + " must be a number, was '" + n.asText() + "'");
        double v = n.asDouble();
        if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) throw new IllegalArgumentException(source + ": " + field + " must be >= 0, was " + v);
        return v;
    }

    static void allowOnly(JsonNode node, String source, String prefix, Set<String> allowed) {
        if (node == null || !node.isObject()) return;
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f))
                throw new IllegalArgumentException(source + ": unknown field '" + prefix + f + "'; allowed: " + allowed);
        });
    }

}

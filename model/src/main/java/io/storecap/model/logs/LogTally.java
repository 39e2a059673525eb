package io.storecap.model.logs;

import io.storecap.model.TrafficProfile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the estimate needs from the logs, counted as they are read: requests per kind and clock hour,
 * requests per minute, per store and per webhook topic, and the paths no rule matched. Its size
 * grows with hours, minutes and stores, not with lines.
 * <p>
 * Two feeds: the request logs (Vercel, the requests CSV) and the webhook deliveries. Each is counted
 * over its own whole hours. When deliveries are given they alone give the webhook rate, and webhook
 * requests in the request logs are left out: a delivery is one event, where the request logs count
 * each of Shopify's retries too (the study adds retries itself).
 */
final class LogTally {
    static final long HOUR_MS = 3_600_000L, MINUTE_MS = 60_000L;
    /** Distinct unclassified paths kept; beyond it they are counted together (bounded memory on crawler traffic). */
    static final int MAX_PATHS = 10_000;
    static final String REQUESTS = "request logs", DELIVERIES = "webhook deliveries";

    /** One feed's counts. */
    static final class Feed {
        final String name;
        final Set<String> files = new LinkedHashSet<>();
        long firstMs = Long.MAX_VALUE, lastMs = Long.MIN_VALUE;
        /** kind -> clock hour -> requests. */
        final Map<String, Map<Long, Long>> hourly = new LinkedHashMap<>();
        /** minute -> requests of every kind. */
        final Map<Long, Long> minutes = new HashMap<>();
        /** kind -> what counted it: the rules that matched, or the deliveries file. */
        final Map<String, Set<String>> countedBy = new LinkedHashMap<>();

        Feed(String name) { this.name = name; }

        boolean isEmpty() { return firstMs == Long.MAX_VALUE; }

        void seen(long at, String file) {
            files.add(file);
            firstMs = Math.min(firstMs, at);
            lastMs = Math.max(lastMs, at);
        }

        void count(String kind, long at, String by) {
            hourly.computeIfAbsent(kind, k -> new HashMap<>()).merge(Math.floorDiv(at, HOUR_MS), 1L, Long::sum);
            minutes.merge(Math.floorDiv(at, MINUTE_MS), 1L, Long::sum);
            countedBy.computeIfAbsent(kind, k -> new LinkedHashSet<>()).add(by);
        }
    }

    final LogRules rules;
    final boolean deliveriesGiven;
    final Feed requests = new Feed(REQUESTS);
    final Feed deliveries = new Feed(DELIVERIES);
    /** store -> requests of per-store kinds. */
    final Map<String, Long> stores = new HashMap<>();
    final Map<String, Long> topics = new TreeMap<>();
    /** "METHOD /path" -> requests no rule matched. */
    final Map<String, Long> unclassified = new HashMap<>();
    final Map<String, Long> unclassifiedByFile = new LinkedHashMap<>();
    long unclassifiedTotal, unclassifiedOther, webhookRequestsLeftOut, withoutStore;

    LogTally(LogRules rules, boolean deliveriesGiven) {
        this.rules = rules;
        this.deliveriesGiven = deliveriesGiven;
    }

    void request(LoggedRequest r, String file) {
        requests.seen(r.atMs(), file);
        LogRules.Rule rule = rules.ruleFor(r);
        if (rule == null) {
            unclassifiedTotal++;
            unclassifiedByFile.merge(file, 1L, Long::sum);
            String key = r.method() + " " + r.path();
            if (unclassified.containsKey(key) || unclassified.size() < MAX_PATHS) unclassified.merge(key, 1L, Long::sum);
            else unclassifiedOther++;
            return;
        }
        if (rule.kind().equals("webhook") && deliveriesGiven) {
            webhookRequestsLeftOut++;
            return;
        }
        requests.count(rule.kind(), r.atMs(), rule.label());
        if (TrafficProfile.STORE_KINDS.contains(rule.kind())) store(rules.shopOf(r));
    }

    void delivery(LoggedWebhook w, String file) {
        deliveries.seen(w.atMs(), file);
        deliveries.count("webhook", w.atMs(), DELIVERIES);
        topics.merge(w.topic(), 1L, Long::sum);
        store(w.shop());
    }

    private void store(String shop) {
        if (shop == null) withoutStore++;
        else stores.merge(shop.toLowerCase(Locale.ROOT), 1L, Long::sum);
    }

    List<Feed> feeds() {
        List<Feed> out = new ArrayList<>();
        if (!requests.isEmpty()) out.add(requests);
        if (!deliveries.isEmpty()) out.add(deliveries);
        return out;
    }
}

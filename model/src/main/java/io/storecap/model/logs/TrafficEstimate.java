package io.storecap.model.logs;

import io.storecap.model.Numbers;
import io.storecap.model.TrafficProfile;
import org.apache.commons.math3.distribution.PoissonDistribution;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The traffic the logs show, in the profile's terms. Definitions:
 * <ul>
 *   <li>hours are clock hours (UTC), and each feed (request logs, webhook deliveries) counts only its
 *       whole hours: a first or last hour the logs cover only in part (more than
 *       {@link #EDGE_MS} of it missing) is left out, since it would read as a quiet hour;</li>
 *   <li>a kind's <b>baseline</b> is its median hour (an ordinary hour; hours without a request count
 *       as 0); its <b>peak</b> is its own busiest hour. Kinds that peak at different hours are run
 *       at their peaks together by the study, which errs on the side of more load;</li>
 *   <li>per-store rates divide by the stores: the distinct stores the logs name, or the store count
 *       given (stores that sent nothing count too), so a rate is the average store's, as the profile
 *       says; global kinds (the dashboard) are per hour;</li>
 *   <li>the <b>busiest hour</b> is the clock hour with the most requests of every kind; within it the
 *       <b>peak-to-mean ratio by minute</b> is its busiest minute over its mean minute, beside what
 *       Poisson arrivals alone would give (the median of the busiest of 60 Poisson minutes);</li>
 *   <li>the store-size skew is {@link ZipfFit} over the stores' requests of per-store kinds.</li>
 * </ul>
 */
public record TrafficEstimate(int stores, int storesSeen, List<KindRate> rates, List<Window> windows, BusiestHour busiestHour,
                              MinutePeak minutePeak, ZipfFit zipf, Map<String, Long> topics, List<PathCount> unclassified,
                              long unclassifiedRequests, List<String> notes) {
    /** How much of a first or last clock hour may be missing for it to count as whole. */
    public static final long EDGE_MS = 5 * 60_000L;

    /** The whole clock hours [fromMs, toMs) some kinds were counted over, and the files they come from. */
    public record Window(String feed, List<String> kinds, List<String> files, long fromMs, long toMs) {
        public int wholeHours() { return (int) ((toMs - fromMs) / LogTally.HOUR_MS); }
    }

    /**
     * One kind's rates: per store per hour ({@code perStore}) or per hour.
     *
     * @param requests  requests counted in the window's whole hours
     * @param peakHourMs start of the kind's busiest hour
     * @param countedBy the rules that matched, or the deliveries file
     */
    public record KindRate(String kind, boolean perStore, long requests, double baseline, double peak, long peakHourMs,
                           Window window, List<String> countedBy) {}

    public record BusiestHour(long startMs, long requests) {}

    public record MinutePeak(long minuteMs, double ratio, double meanPerMinute, double poissonAlone) {}

    public record PathCount(String path, long requests) {}

    /** The estimate from a tally; {@code storesGiven} null: the distinct stores the logs name. */
    static TrafficEstimate of(LogTally t, Integer storesGiven) {
        List<String> notes = new ArrayList<>();
        Map<LogTally.Feed, Window> windows = new HashMap<>();
        List<Window> windowList = new ArrayList<>();
        for (LogTally.Feed f : t.feeds()) {
            Window w = window(f);
            windows.put(f, w);
            windowList.add(w);
        }
        int seen = t.stores.size();
        boolean anyPerStore = t.feeds().stream().anyMatch(f -> f.hourly.keySet().stream().anyMatch(TrafficProfile.STORE_KINDS::contains));
        if (storesGiven != null && storesGiven < Math.max(1, seen))
            throw new IllegalArgumentException("--stores " + storesGiven + " is fewer than the " + seen
                    + " stores the logs name; give the number of stores the logs cover (at least " + Math.max(1, seen) + ")");
        if (storesGiven == null && seen == 0 && anyPerStore)
            throw new IllegalArgumentException("no request names its store (the rules' shop parameter in the query string, or the shop"
                    + " column), so per-store rates cannot be told: pass --stores N, the number of stores the logs cover");
        int stores = storesGiven != null ? storesGiven : Math.max(1, seen);

        List<KindRate> rates = new ArrayList<>();
        for (LogTally.Feed f : t.feeds()) {
            Window w = windows.get(f);
            f.hourly.forEach((kind, byHour) -> {
                boolean perStore = TrafficProfile.STORE_KINDS.contains(kind);
                double[] counts = new double[w.wholeHours()];
                long total = 0, peakHour = w.fromMs() / LogTally.HOUR_MS;
                for (int i = 0; i < counts.length; i++) {
                    long h = w.fromMs() / LogTally.HOUR_MS + i;
                    counts[i] = byHour.getOrDefault(h, 0L);
                    total += (long) counts[i];
                    if (counts[i] > counts[(int) (peakHour - w.fromMs() / LogTally.HOUR_MS)]) peakHour = h;
                }
                double divisor = perStore ? stores : 1;
                double peak = byHour.getOrDefault(peakHour, 0L) / divisor;
                rates.add(new KindRate(kind, perStore, total, median(counts) / divisor, peak, peakHour * LogTally.HOUR_MS, w,
                        List.copyOf(f.countedBy.get(kind))));
            });
        }
        rates.sort(Comparator.comparing(r -> order(r.kind())));

        BusiestHour busiest = null;
        MinutePeak minutePeak = null;
        Map<Long, Long> perHour = new HashMap<>();
        for (LogTally.Feed f : t.feeds()) {
            Window w = windows.get(f);
            f.hourly.values().forEach(byHour -> byHour.forEach((h, n) -> {
                if (h * LogTally.HOUR_MS >= w.fromMs() && h * LogTally.HOUR_MS < w.toMs()) perHour.merge(h, n, Long::sum);
            }));
        }
        var top = perHour.entrySet().stream().max(Map.Entry.<Long, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())));
        if (top.isPresent()) {
            long h = top.get().getKey();
            busiest = new BusiestHour(h * LogTally.HOUR_MS, top.get().getValue());
            minutePeak = minutePeak(t, windows, h, top.get().getValue());
        }

        ZipfFit zipf = null;
        if (!t.stores.isEmpty()) {
            long[] counts = new long[stores];
            int i = 0;
            for (long n : t.stores.values()) counts[i++] = n;
            zipf = ZipfFit.fit(counts);
        }
        if (t.webhookRequestsLeftOut > 0)
            notes.add(Numbers.num((double) t.webhookRequestsLeftOut) + " webhook requests in the request logs are left out: the deliveries"
                    + " (--webhooks) count each webhook once, where the request logs count Shopify's retries too");
        if (t.withoutStore > 0)
            notes.add(Numbers.num((double) t.withoutStore) + " requests of per-store kinds name no store: they count in the rates,"
                    + " not in the store-size fit");
        if (storesGiven != null && storesGiven > seen)
            notes.add((storesGiven - seen) + " of the " + storesGiven + " stores given (--stores) sent nothing the logs show;"
                    + " the per-store rates divide by all " + storesGiven + " and the fit counts them as stores with no requests");
        List<PathCount> paths = t.unclassified.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(10).map(e -> new PathCount(e.getKey(), e.getValue())).toList();
        return new TrafficEstimate(stores, seen, List.copyOf(rates), List.copyOf(windowList), busiest, minutePeak, zipf,
                Map.copyOf(t.topics), paths, t.unclassifiedTotal, List.copyOf(notes));
    }

    /** A feed's whole clock hours; fails when it has none. */
    static Window window(LogTally.Feed f) {
        long from = Math.floorDiv(f.firstMs, LogTally.HOUR_MS), to = Math.floorDiv(f.lastMs, LogTally.HOUR_MS) + 1;
        if (f.firstMs - from * LogTally.HOUR_MS > EDGE_MS) from++;
        if (to * LogTally.HOUR_MS - f.lastMs > EDGE_MS) to--;
        if (to <= from)
            throw new IllegalArgumentException(String.join(", ", f.files) + ": the " + f.name + " run from " + Instant.ofEpochMilli(f.firstMs)
                    + " to " + Instant.ofEpochMilli(f.lastMs) + ", which holds no whole clock hour; rates are per hour, so give logs that"
                    + " cover at least one (starting at most 5 minutes after an hour begins and ending at most 5 minutes before one ends)");
        List<String> kinds = new ArrayList<>(f.hourly.keySet());
        kinds.sort(Comparator.comparing(TrafficEstimate::order));
        return new Window(f.name, List.copyOf(kinds), List.copyOf(f.files), from * LogTally.HOUR_MS, to * LogTally.HOUR_MS);
    }

    private static MinutePeak minutePeak(LogTally t, Map<LogTally.Feed, Window> windows, long hour, long requests) {
        long best = -1, bestMinute = hour * 60;
        for (long m = hour * 60; m < hour * 60 + 60; m++) {
            long n = 0;
            for (LogTally.Feed f : t.feeds()) {
                Window w = windows.get(f);
                if (hour * LogTally.HOUR_MS >= w.fromMs() && hour * LogTally.HOUR_MS < w.toMs()) n += f.minutes.getOrDefault(m, 0L);
            }
            if (n > best) {
                best = n;
                bestMinute = m;
            }
        }
        double mean = requests / 60.0;
        if (mean <= 0) return null;
        double poisson = new PoissonDistribution(null, mean, PoissonDistribution.DEFAULT_EPSILON, PoissonDistribution.DEFAULT_MAX_ITERATIONS)
                .inverseCumulativeProbability(Math.pow(0.5, 1 / 60.0)) / mean;
        return new MinutePeak(bestMinute * LogTally.MINUTE_MS, best / mean, mean, poisson);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n == 0 ? 0 : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** The profile's order of kinds: per-store kinds as config/profile.yaml lists them, then global ones. */
    static int order(String kind) {
        List<String> o = List.of("cart-event", "recommendations", "webhook", "admin-session", "dashboard");
        int i = o.indexOf(kind);
        return i < 0 ? o.size() : i;
    }

    /** A kind's rate, or null when the logs have none of it. */
    public KindRate rate(String kind) {
        return rates.stream().filter(r -> r.kind().equals(kind)).findFirst().orElse(null);
    }
}

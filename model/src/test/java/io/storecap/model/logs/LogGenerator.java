package io.storecap.model.logs;

import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Logs made from a known traffic profile, for the tests that recover it: Vercel NDJSON for the
 * storefront, admin and dashboard requests and a webhook deliveries CSV, over whole days from
 * {@link #START}, with a diurnal shape whose median hour is the baseline and whose busiest hour
 * (19:00 UTC) is the peak. Store i of N gets a share i^-s / H(N, s) of every per-store kind. The
 * logs also hold what real ones do: lines without a proxy (build output), a second console line for
 * one request in ten (same requestId), webhook requests with Shopify's retries (left out when the
 * deliveries are given), unclassified paths, and a partly covered hour before the first whole one.
 */
final class LogGenerator {
    static final long HOUR = 3_600_000L;
    static final Instant START = Instant.parse("2024-11-28T00:00:00Z");

    /** A rate per store per hour (per hour for the dashboard) at baseline and at peak. */
    record Rate(double baseline, double peak) {}

    record Truth(int stores, double zipf, int days, Map<String, Rate> perStore, Rate dashboard, Map<String, Double> topics) {}

    static Truth reference() {
        Map<String, Rate> perStore = new LinkedHashMap<>();
        perStore.put("cart-event", new Rate(20, 60));
        perStore.put("recommendations", new Rate(10, 30));
        perStore.put("webhook", new Rate(3, 10));
        perStore.put("admin-session", new Rate(2, 6));
        Map<String, Double> topics = new LinkedHashMap<>();
        topics.put("orders/create", 0.4);
        topics.put("orders/paid", 0.3);
        topics.put("products/update", 0.2);
        topics.put("app_subscriptions/update", 0.1); // a topic the service does not handle
        return new Truth(100, 0.8, 2, perStore, new Rate(120, 600), topics);
    }

    /** The rate at an hour of the day: half the baseline at night (02-06), the baseline, and a bump to the peak at 19:00. */
    static double at(Rate r, int hourOfDay) {
        double night = hourOfDay >= 2 && hourOfDay <= 6 ? 0.5 : 1;
        double bump = Math.exp(-Math.pow(hourOfDay - 19, 2) / (2 * 1.5 * 1.5));
        return r.baseline() * night + (r.peak() - r.baseline()) * bump;
    }

    static String shop(int i) { return String.format("store-%05d.myshopify.com", i); }

    private record Line(long at, String text) {}

    /** Writes vercel.ndjson and webhooks.csv into {@code dir}. */
    static void write(Truth t, Path dir, long seed) throws IOException {
        RandomGenerator rng = new Well19937c(seed);
        double[] share = new double[t.stores()];
        double h = 0;
        for (int i = 0; i < t.stores(); i++) h += share[i] = Math.pow(i + 1, -t.zipf());
        for (int i = 0; i < t.stores(); i++) share[i] /= h;
        List<String> topics = new ArrayList<>(t.topics().keySet());
        long[] ids = {0};
        try (BufferedWriter vercel = Files.newBufferedWriter(dir.resolve("vercel.ndjson"));
             BufferedWriter hooks = Files.newBufferedWriter(dir.resolve("webhooks.csv"))) {
            hooks.write("id,shop,topic,created_at\n");
            vercel.write("{\"id\":\"b1\",\"timestamp\":" + (START.toEpochMilli() - 30 * 60_000) + ",\"source\":\"build\",\"message\":\"Build completed\"}\n");
            // a partly covered hour: 23:40-24:00 the day before, which must not count as a (quiet) hour
            List<Line> partial = new ArrayList<>();
            for (int i = 0; i < t.stores(); i++) {
                long n = poisson(rng, at(t.perStore().get("cart-event"), 23) * t.stores() * share[i] / 3);
                for (long k = 0; k < n; k++)
                    partial.add(request(ids, START.toEpochMilli() - 20 * 60_000 + (long) (rng.nextDouble() * 20 * 60_000), "POST", "/proxy/events?shop=" + shop(i + 1), rng));
            }
            flush(vercel, partial);
            for (int hour = 0; hour < t.days() * 24; hour++) {
                long from = START.toEpochMilli() + hour * HOUR;
                int hod = hour % 24;
                List<Line> lines = new ArrayList<>();
                for (int i = 0; i < t.stores(); i++) {
                    String q = "?shop=" + shop(i + 1);
                    for (var e : t.perStore().entrySet()) {
                        long n = poisson(rng, at(e.getValue(), hod) * t.stores() * share[i]);
                        for (long k = 0; k < n; k++) {
                            long when = from + (long) (rng.nextDouble() * HOUR);
                            switch (e.getKey()) {
                                case "cart-event" -> lines.add(request(ids, when, "POST", "/proxy/events" + q + "&logged_in_customer_id=&signature=ab12", rng));
                                case "recommendations" -> lines.add(request(ids, when, "GET", "/proxy/recommendations" + q, rng));
                                case "admin-session" -> lines.add(request(ids, when, "GET", "/admin/session", rng)); // a bearer token, no shop in the path
                                case "webhook" -> {
                                    String topic = pick(topics, t.topics(), rng.nextDouble());
                                    hooks.write(k + "," + shop(i + 1) + "," + topic + "," + Instant.ofEpochMilli(when) + "\n");
                                    // half the deliveries also in the request logs, a tenth of those retried once
                                    if (rng.nextDouble() < 0.5) {
                                        lines.add(request(ids, when, "POST", "/webhooks/" + topic, rng));
                                        if (rng.nextDouble() < 0.1) lines.add(request(ids, when + 60_000, "POST", "/webhooks/" + topic, rng));
                                    }
                                }
                                default -> throw new IllegalStateException(e.getKey());
                            }
                        }
                    }
                }
                long dash = poisson(rng, at(t.dashboard(), hod));
                for (long k = 0; k < dash; k++) lines.add(request(ids, from + (long) (rng.nextDouble() * HOUR), "GET", "/superadmin/dashboard?page=1", rng));
                long junk = poisson(rng, 30);
                for (long k = 0; k < junk; k++) lines.add(request(ids, from + (long) (rng.nextDouble() * HOUR), "GET", "/favicon.ico", rng));
                flush(vercel, lines);
            }
        }
    }

    static long poisson(RandomGenerator rng, double mean) {
        return mean <= 0 ? 0 : new PoissonDistribution(rng, mean, PoissonDistribution.DEFAULT_EPSILON, PoissonDistribution.DEFAULT_MAX_ITERATIONS).sample();
    }

    private static String pick(List<String> topics, Map<String, Double> shares, double u) {
        double acc = 0;
        for (String t : topics) if (u < (acc += shares.get(t))) return t;
        return topics.get(topics.size() - 1);
    }

    /** One request's line, and one time in ten a console line of the same request (same requestId and proxy). */
    private static Line request(long[] ids, long at, String method, String path, RandomGenerator rng) {
        String id = "req_" + (++ids[0]);
        int status = rng.nextDouble() < 0.01 ? 500 : method.equals("POST") && path.startsWith("/proxy/events") ? 201 : 200;
        String proxy = "{\"timestamp\":" + at + ",\"method\":\"" + method + "\",\"scheme\":\"https\",\"host\":\"app.example.com\",\"path\":\""
                + path + "\",\"userAgent\":[\"Mozilla/5.0\"],\"statusCode\":" + status + ",\"region\":\"iad1\"}";
        String line = "{\"id\":\"l" + ids[0] + "\",\"timestamp\":" + (at + 40) + ",\"source\":\"lambda\",\"requestId\":\"" + id
                + "\",\"level\":\"info\",\"proxy\":" + proxy + "}";
        if (rng.nextDouble() < 0.1)
            line += "\n{\"id\":\"m" + ids[0] + "\",\"timestamp\":" + (at + 25) + ",\"source\":\"lambda\",\"type\":\"stdout\",\"message\":\"handled\",\"requestId\":\""
                    + id + "\",\"proxy\":" + proxy + "}";
        return new Line(at, line);
    }

    private static void flush(BufferedWriter out, List<Line> lines) throws IOException {
        lines.sort(Comparator.comparingLong(Line::at));
        for (Line l : lines) out.write(l.text() + "\n");
    }
}

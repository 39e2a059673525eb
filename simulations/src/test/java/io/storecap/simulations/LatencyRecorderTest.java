package io.storecap.simulations;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Json;
import io.storecap.model.Quantiles;
import io.storecap.model.RequestStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyRecorderTest {
    /** HdrHistogram at 3 significant digits: a bucket is at most 1/1024 of its values wide. */
    private static final double PRECISION = 1.0 / 1024;

    private static void recordShuffled(LatencyRecorder r, int level, String kind, long[] values, long seed) {
        List<Long> list = new ArrayList<>(LongStream.of(values).boxed().toList());
        Collections.shuffle(list, new Random(seed));
        for (long v : list) r.record(level, kind, v, true);
    }

    private static long[] sorted(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v;
    }

    @Test
    void latenciesBelow2048MsAreExact() {
        LatencyRecorder r = new LatencyRecorder(1);
        long[] values = LongStream.rangeClosed(1, 1000).toArray();
        recordShuffled(r, 0, "recommendations", values, 1);
        RequestStats s = r.level(0).get("recommendations");
        assertEquals(1000, s.count());
        assertEquals(1000, s.ok());
        assertEquals(0, s.ko());
        assertEquals(500.5, s.meanMs(), 1e-9);
        assertEquals(500, s.p50Ms());
        assertEquals(950, s.p95Ms());
        assertEquals(990, s.p99Ms());
        assertEquals(1000, s.maxMs());
        assertEquals((double) Quantiles.upperBound(values, 0.95, 0.95), s.p95UpperMs());
        assertEquals((double) Quantiles.lowerBound(values, 0.95, 0.95), s.p95LowerMs());
        assertTrue(s.p95LowerMs() < s.p95Ms() && s.p95Ms() < s.p95UpperMs(), "the bounds bracket the p95: " + s);
    }

    @Test
    void largeLatenciesAreWithinTheHistogramsPrecisionAndTheBoundsStayConservative() {
        Random random = new Random(99);
        long[] values = new long[20_000];
        for (int i = 0; i < values.length; i++) values[i] = 2_000 + (long) (Math.exp(random.nextGaussian()) * 40_000); // 2 s .. minutes
        LatencyRecorder r = new LatencyRecorder(1);
        recordShuffled(r, 0, "dashboard", values, 2);
        RequestStats s = r.level(0).get("dashboard");
        long[] v = sorted(values);
        double p95 = Quantiles.nearestRank(v, 0.95), upper = Quantiles.upperBound(v, 0.95, 0.95), lower = Quantiles.lowerBound(v, 0.95, 0.95);
        assertTrue(p95 > 4096, "the test's p95 is where buckets are wider than 1 ms: " + p95);
        assertTrue(s.p95Ms() >= p95 && s.p95Ms() <= p95 * (1 + PRECISION), s.p95Ms() + " against the exact " + p95);
        assertTrue(s.p95UpperMs() >= upper && s.p95UpperMs() <= upper * (1 + PRECISION), s.p95UpperMs() + " against the exact " + upper);
        assertTrue(s.p95LowerMs() <= lower && s.p95LowerMs() >= lower * (1 - PRECISION), s.p95LowerMs() + " against the exact " + lower);
        assertTrue(s.p95LowerMs() <= s.p95Ms() && s.p95Ms() <= s.p95UpperMs(), "the bounds bracket the p95: " + s);
        double p50 = Quantiles.nearestRank(v, 0.5), p99 = Quantiles.nearestRank(v, 0.99);
        assertEquals(p50, s.p50Ms(), p50 * PRECISION);
        assertEquals(p99, s.p99Ms(), p99 * PRECISION);
        assertEquals(v[v.length - 1], s.maxMs(), "the max is exact");
        assertEquals(LongStream.of(values).sum() / (double) values.length, s.meanMs(), 1e-6, "the mean is exact");
    }

    @Test
    void theP95UpperBoundNeeds59Requests() {
        LatencyRecorder r = new LatencyRecorder(2);
        for (int i = 1; i <= 58; i++) r.record(0, "webhook", i, true);
        for (int i = 1; i <= 59; i++) r.record(1, "webhook", i, true);
        RequestStats few = r.level(0).get("webhook"), enough = r.level(1).get("webhook");
        assertNull(few.p95UpperMs(), "58 requests cannot bound the p95 from above at 95 %");
        assertNotNull(few.p95LowerMs());
        assertEquals(59.0, enough.p95UpperMs(), "59 requests: the largest is the bound");
    }

    @Test
    void failedRequestsCountAndTheirLatenciesToo() {
        LatencyRecorder r = new LatencyRecorder(1);
        for (int i = 0; i < 90; i++) r.record(0, "cart-event", 10, true);
        for (int i = 0; i < 10; i++) r.record(0, "cart-event", 5000, false);
        RequestStats s = r.level(0).get("cart-event");
        assertEquals(100, s.count());
        assertEquals(90, s.ok());
        assertEquals(10, s.ko());
        assertEquals(0.1, s.errorRate(), 1e-12);
        assertEquals(10, s.p50Ms());
        assertEquals(5000, s.p95Ms(), 5000 * PRECISION);
        assertEquals(5000, s.maxMs());
    }

    @Test
    void levelsAreSeparateAndALevelWithoutRequestsIsEmpty() {
        LatencyRecorder r = new LatencyRecorder(3);
        for (int i = 0; i < 100; i++) {
            r.record(0, "recommendations", 10, true);
            r.record(1, "recommendations", 1000, true);
        }
        assertEquals(10, r.level(0).get("all").p95Ms());
        assertEquals(1000, r.level(1).get("all").p95Ms());
        assertEquals(100, r.level(0).get("all").count());
        assertEquals(100, r.level(1).get("all").count());
        assertEquals(Map.of("all", RequestStats.EMPTY), r.level(2));
        assertEquals(3, r.levels());
    }

    @Test
    void allIsEveryKindMergedAndComesFirstThenTheKindsByName() {
        LatencyRecorder r = new LatencyRecorder(1);
        long[] a = LongStream.rangeClosed(1, 300).toArray();
        long[] b = LongStream.rangeClosed(1, 100).map(x -> 1000 + x).toArray();
        recordShuffled(r, 0, "webhook", b, 3);
        recordShuffled(r, 0, "cart-event", a, 4);
        r.record(0, "cart-event", 7, false);
        Map<String, RequestStats> level = r.level(0);
        assertEquals(List.of("all", "cart-event", "webhook"), List.copyOf(level.keySet()));
        long[] both = LongStream.concat(LongStream.concat(LongStream.of(a), LongStream.of(b)), LongStream.of(7)).sorted().toArray();
        RequestStats all = level.get("all");
        assertEquals(401, all.count());
        assertEquals(1, all.ko());
        assertEquals(Quantiles.nearestRank(both, 0.5), all.p50Ms());
        assertEquals(Quantiles.nearestRank(both, 0.95), all.p95Ms());
        assertEquals(Quantiles.nearestRank(both, 0.99), all.p99Ms());
        assertEquals(1100, all.maxMs());
        assertEquals((double) Quantiles.upperBound(both, 0.95, 0.95), all.p95UpperMs());
        assertEquals((double) Quantiles.lowerBound(both, 0.95, 0.95), all.p95LowerMs());
        assertEquals(LongStream.of(both).sum() / 401.0, all.meanMs(), 1e-9);
        assertEquals(1050, level.get("webhook").p50Ms());
        assertEquals(301, level.get("cart-event").count());
    }

    @Test
    void zeroNegativeAndBeyondAnHourAreRecorded() {
        LatencyRecorder r = new LatencyRecorder(1);
        for (int i = 0; i < 99; i++) r.record(0, "admin-session", 0, true);
        r.record(0, "admin-session", -3, true);
        r.record(0, "admin-session", 5_000_000, false);
        RequestStats s = r.level(0).get("admin-session");
        assertEquals(101, s.count());
        assertEquals(0, s.p50Ms());
        assertEquals(0, s.p95Ms());
        assertEquals(5_000_000, s.maxMs(), "the max is exact beyond the histogram's hour");
        assertTrue(s.p99Ms() <= s.maxMs());
        assertEquals(5_000_000 / 101.0, s.meanMs(), 1e-9);
    }

    @Test
    void recordingFromManyThreadsLosesNothing() throws Exception {
        LatencyRecorder r = new LatencyRecorder(2);
        int threads = 4, each = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int k = 0; k < each; k++) {
                        r.record(k % 2, k % 3 == 0 ? "recommendations" : "cart-event", 1 + k % 1000, k % 10 != 0);
                        if (thread == 0 && k % 10_000 == 0) r.level(0); // reading while others record
                    }
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdown();
        }
        RequestStats l0 = r.level(0).get("all"), l1 = r.level(1).get("all");
        assertEquals(threads * each, l0.count() + l1.count());
        assertEquals(threads * each / 10, l0.ko() + l1.ko());
        assertEquals(l0.count(), r.level(0).get("recommendations").count() + r.level(0).get("cart-event").count());
    }

    @Test
    void theJsonHasTheKeysLevelsJsonHadAndReadsBack() {
        LatencyRecorder r = new LatencyRecorder(1);
        for (int i = 1; i <= 100; i++) r.record(0, "recommendations", i, i != 50);
        JsonNode json = Json.JSON.valueToTree(r.level(0));
        JsonNode all = json.get("all");
        List<String> keys = new ArrayList<>();
        all.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("count", "ok", "ko", "meanMs", "p50Ms", "p95Ms", "p99Ms", "maxMs", "p95UpperMs", "p95LowerMs"), keys);
        assertEquals(95, all.get("p95Ms").asDouble());
        assertEquals(r.level(0).get("all"), Json.JSON.convertValue(all, RequestStats.class));
        assertEquals(r.level(0).get("recommendations"), Json.JSON.convertValue(json.get("recommendations"), RequestStats.class));
    }

    @Test
    void histogramsHoldEveryValueWithItsCountPerKindAndAll() {
        LatencyRecorder r = new LatencyRecorder(1);
        for (int i = 0; i < 3; i++) r.record(0, "webhook", 7, true);
        r.record(0, "webhook", 12, false);
        r.record(0, "dashboard", 900, true);
        var h = r.histograms(0);
        assertEquals(java.util.List.of("all", "dashboard", "webhook"), java.util.List.copyOf(h.keySet()));
        assertEquals("[[7, 3], [12, 1]]", java.util.Arrays.deepToString(h.get("webhook")));
        assertEquals("[[7, 3], [12, 1], [900, 1]]", java.util.Arrays.deepToString(h.get("all")));
        assertEquals(0, r.histograms(5).get("all").length, "a level without requests has an empty histogram");
    }
}

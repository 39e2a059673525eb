package io.storecap.simulations;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntervalLatencyTest {

    @Test
    void eachRollReportsOnlyItsOwnIntervalWithAllFirst() {
        IntervalLatency l = new IntervalLatency();
        for (int ms = 1; ms <= 200; ms++) l.record("webhook", ms, ms > 20);
        l.record("cart-event", 5000, true);
        IntervalLatency.Interval first = l.roll();
        assertEquals(List.of("all", "cart-event", "webhook"), List.copyOf(first.byKind().keySet()));
        IntervalLatency.Stats w = first.byKind().get("webhook");
        assertEquals(new IntervalLatency.Stats(200, 20, 100, 190, 198), w, "nearest rank: ceil(q n)");
        assertEquals(201, first.byKind().get("all").requests());
        assertEquals(20, first.byKind().get("all").errors());
        assertTrue(first.byKind().get("all").p99Ms() >= 198 && first.byKind().get("all").p99Ms() <= 5000);
        assertEquals(5000, first.byKind().get("cart-event").p50Ms(), 5, "above 2048 ms, the top of a 0.1 % bucket");

        IntervalLatency.Interval empty = l.roll();
        assertTrue(empty.byKind().isEmpty(), "nothing recorded since: " + empty);
        assertTrue(empty.startEpochMs() == first.endEpochMs() && empty.seconds() > 0);

        l.record("webhook", 7, false);
        IntervalLatency.Stats again = l.roll().byKind().get("webhook");
        assertEquals(new IntervalLatency.Stats(1, 1, 7, 7, 7), again);
    }

    @Test
    void noResponseIsLostOrCountedTwiceWhileWritersRace() throws Exception {
        IntervalLatency l = new IntervalLatency();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicLong seen = new AtomicLong();
        try {
            List<Future<?>> writers = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++)
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 50_000; i++) l.record(i % 2 == 0 ? "a" : "b", i % 300, true);
                }));
            boolean done = false;
            while (!done) {
                seen.addAndGet(l.roll().byKind().getOrDefault("all", new IntervalLatency.Stats(0, 0, 0, 0, 0)).requests());
                done = writers.stream().allMatch(Future::isDone);
            }
            for (Future<?> f : writers) f.get();
            seen.addAndGet(l.roll().byKind().getOrDefault("all", new IntervalLatency.Stats(0, 0, 0, 0, 0)).requests());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(200_000, seen.get());
    }
}

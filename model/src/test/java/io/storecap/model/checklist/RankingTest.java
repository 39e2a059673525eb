package io.storecap.model.checklist;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The steps ordered by what they buy per hour of work, with per-dollar figures where they cost money. */
class RankingTest {
    static final Effect NEGLIGIBLE = Effect.of(-0.4, -1.0, 1.0, 10, true);
    static final Effect BETTER = Effect.of(-300, -400.0, -200.0, 10, true);
    static final Effect MORE = Effect.of(6000, 4000.0, null, 100, false);
    static final Effect UNCLEAR = Effect.of(-16, -132.0, 56.0, 10, true);

    @Test
    void capacityFirstThenSpeedThenWhatDoesNotMatter() {
        List<Ranking.Ranked> r = Ranking.rank(List.of(
                new Ranking.StepValue("indexes", "add four indexes", null, false, 0.4, 1, 0, NEGLIGIBLE),
                new Ranking.StepValue("cache", "cache the dashboard", null, false, 300.0, 4, 10, BETTER),
                new Ranking.StepValue("bigger-tier", "a bigger Neon plan", 6000.0, false, null, 0.5, 19, MORE),
                new Ranking.StepValue("queue", "queue webhooks", null, false, 16.0, 6, 0, UNCLEAR),
                new Ranking.StepValue("pooling", "PgBouncer pooling", 30000.0, true, 2.0, 2, 0, MORE)));
        assertEquals(List.of("pooling", "bigger-tier", "cache", "indexes", "queue"), r.stream().map(x -> x.step().id()).toList());
        assertEquals(15000, r.get(0).storesPerHour(), 1e-9, "30,000 stores for 2 hours");
        assertNull(r.get(0).storesPerDollar(), "pooling adds nothing to the bill");
        assertEquals(12000, r.get(1).storesPerHour(), 1e-9);
        assertEquals(6000 / 19.0, r.get(1).storesPerDollar(), 1e-9);
        assertEquals(75, r.get(2).msPerHour(), 1e-9);
        assertEquals(30, r.get(2).msPerDollar(), 1e-9);
        assertFalse(r.get(3).matters(), "a negligible effect does not matter at this traffic");
        assertEquals("does not matter at this traffic (negligible)", r.get(3).step().nothingBecause());
        assertEquals(4, r.get(3).rank());
        assertFalse(r.get(4).matters(), "16 ms with an interval that holds 0 buys nothing shown");
        assertEquals("not shown by these cells (the interval holds 0)", r.get(4).step().nothingBecause());
    }

    @Test
    void hoursMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Ranking.StepValue("x", "x", 1.0, false, null, 0, 0, MORE));
    }

    @Test
    void whatUsersSeeAtTheirTrafficIsReadApartFromTheCapacityBought() {
        Ranking.StepValue headroom = new Ranking.StepValue("pooling", "pooling", 52000.0, true, 0.4, 1, 0, MORE, NEGLIGIBLE);
        assertEquals("negligible", headroom.atYourTraffic(), "capacity far beyond the traffic, p95 unchanged at it");
        assertEquals("better", new Ranking.StepValue("cache", "cache", null, false, 300.0, 3, 0, BETTER).atYourTraffic());
        assertEquals("unclear", new Ranking.StepValue("queue", "queue", null, false, 16.0, 6, 0, UNCLEAR).atYourTraffic());
        assertEquals("worse", new Ranking.StepValue("acc", "acc", 6000.0, false, -28.0, 3, 10, MORE,
                Effect.of(28, 20.0, 36.0, 10, true)).atYourTraffic());
        assertEquals("not measured", new Ranking.StepValue("x", "x", 1.0, false, null, 1, 0, MORE, null).atYourTraffic());
        assertEquals(1, Ranking.rank(List.of(headroom)).get(0).rank());
    }
}

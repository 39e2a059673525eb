package io.storecap.simulations;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LevelClockTest {
    private static final long T0 = 1_700_000_000_000L;

    /** Three levels of 1 s, 2.5 s and 0.5 s: they start at 0, 1000 and 3500 ms and the plan ends at 4000 ms. */
    private static List<LevelPlan> uneven() {
        return List.of(new LevelPlan(100, 1.0, 1, 1, "stair"), new LevelPlan(250, 2.5, 4, 2, "probe"),
                new LevelPlan(300, 0.5, 1, 3, "settle"));
    }

    @Test
    void levelsOfDifferentLengthsStartWhereThePreviousEnds() {
        LevelClock clock = new LevelClock(uneven());
        assertEquals(3, clock.size());
        assertEquals(List.of(0L, 1000L, 3500L), List.of(clock.startMs(0), clock.startMs(1), clock.startMs(2)));
        assertEquals(List.of(1000L, 3500L, 4000L), List.of(clock.endMs(0), clock.endMs(1), clock.endMs(2)));
        assertEquals(4000, clock.totalMs());
        assertEquals(250, clock.plan(1).stores());
    }

    @Test
    void theIndexIsTheLevelRunningAtThatMomentClampedToThePlan() {
        LevelClock clock = new LevelClock(uneven());
        clock.start(T0);
        assertEquals(T0, clock.t0());
        assertEquals(0, clock.index(T0 - 5), "before t0: the first level");
        assertEquals(0, clock.index(T0));
        assertEquals(0, clock.index(T0 + 999));
        assertEquals(1, clock.index(T0 + 1000), "a level starts at its start offset, inclusive");
        assertEquals(1, clock.index(T0 + 3499));
        assertEquals(2, clock.index(T0 + 3500));
        assertEquals(2, clock.index(T0 + 3999));
        assertEquals(2, clock.index(T0 + 60_000), "after the plan: the last level");
    }

    @Test
    void beforeTheClockStartsEveryRequestIsInTheFirstLevel() {
        LevelClock clock = new LevelClock(uneven());
        assertEquals(0, clock.index(T0 + 3600));
        assertEquals(0, clock.mark(T0 + 3600));
        assertEquals(1, clock.started(0));
    }

    @Test
    void markCountsTheRequestsStartedPerLevel() {
        LevelClock clock = new LevelClock(uneven());
        clock.start(T0);
        assertEquals(0, clock.mark(T0 + 10));
        assertEquals(1, clock.mark(T0 + 1000));
        assertEquals(1, clock.mark(T0 + 2000));
        assertEquals(2, clock.mark(T0 + 99_000));
        assertEquals(List.of(1L, 2L, 1L), List.of(clock.started(0), clock.started(1), clock.started(2)));
    }

    @Test
    void marksFromManyThreadsAreAllCounted() throws Exception {
        LevelClock clock = new LevelClock(uneven());
        clock.start(T0);
        long[] at = {0, 1000, 2000, 3600}; // levels 0, 1, 1, 2
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) done.add(pool.submit(() -> {
                for (int k = 0; k < 25_000; k++) clock.mark(T0 + at[k % 4]);
            }));
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdown();
        }
        assertEquals(List.of(25_000L, 50_000L, 25_000L), List.of(clock.started(0), clock.started(1), clock.started(2)));
    }

    @Test
    void thePlanIsACopy() {
        List<LevelPlan> plan = new ArrayList<>(uneven());
        LevelClock clock = new LevelClock(plan);
        plan.clear();
        assertEquals(3, clock.size());
        assertThrows(UnsupportedOperationException.class, () -> clock.plan().clear());
    }

    @Test
    void aClockNeedsALevel() {
        assertThrows(IllegalArgumentException.class, () -> new LevelClock(List.of()));
    }

    @Test
    void theGroupNameIsTheIndexAndTheStoreCountZeroPadded() {
        assertEquals("L03-00250", LevelClock.groupName(3, 250));
        assertEquals("L00-00001", LevelClock.groupName(0, 1));
        assertEquals("L12-99999", LevelClock.groupName(12, 99_999));
        assertEquals("L07-123456", LevelClock.groupName(7, 123_456), "more stores than five digits: not cut");
        assertEquals("L104-00010", LevelClock.groupName(104, 10));
    }

    @Test
    void levelLengthsRoundToWholeMilliseconds() {
        LevelClock clock = new LevelClock(List.of(new LevelPlan(1, 0.0004, 1, 0, null), new LevelPlan(1, 1.2346, 1, 0, null)));
        assertEquals(0, clock.endMs(0), "0.4 ms rounds to 0: the level is empty");
        assertEquals(1235, clock.totalMs());
        clock.start(T0);
        assertEquals(1, clock.index(T0), "an empty level is skipped");
    }
}

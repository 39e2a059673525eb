package io.storecap.runner;

import io.storecap.environment.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Per-level failure counts from the service's cumulative counters. */
class RefusalCountTest {
    static Sample at(long ms, Long tooMany, long coldStarts) {
        return new Sample(ms, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, coldStarts,
                tooMany == null ? Map.of() : Map.of("too_many_clients", tooMany), 0.1);
    }

    @Test
    void countsFromTheLastReadingBeforeTheLevelAndSkipsReadingsWithoutMetrics() {
        List<Sample> all = List.of(
                at(900, 5L, 10),    // before the level: the baseline
                at(1100, 9L, 12),   // refusals between 900 and 1100 belong to the level
                at(1500, null, -1), // /metrics did not answer: skipped
                at(1900, 20L, 15),
                at(2100, 30L, 16)); // the next level
        assertEquals(Map.of("too_many_clients", 15L), RunOrchestrator.refusalDelta(all, 1000, 2000));
        assertEquals(5, RunOrchestrator.coldStartDelta(all, 1000, 2000));
        // the first level of a run has no reading before it: count from its first
        assertEquals(Map.of("too_many_clients", 11L), RunOrchestrator.refusalDelta(all.subList(1, 5), 1000, 2000));
    }
}

package io.storecap.runner;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunHarnessTest {
    @Test
    void warmUpWaitsOnlyForTheTtlTheSettleWindowDoesNotCover() {
        assertEquals(4_500, RunHarness.warmUpWaitMs(4, 0), "no settle window: the whole TTL and the reaper's slack");
        assertEquals(2_500, RunHarness.warmUpWaitMs(4, 2));
        assertEquals(500, RunHarness.warmUpWaitMs(4, 4), "the settle window covers the TTL: only the slack");
        assertEquals(500, RunHarness.warmUpWaitMs(4, 6), "never less than the reaper's slack");
    }
}

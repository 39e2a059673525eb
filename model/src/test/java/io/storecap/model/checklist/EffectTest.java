package io.storecap.model.checklist;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an interval of on - off says, against a band of ±10. */
class EffectTest {
    static Effect e(Double lo, Double hi, boolean lowerIsBetter) { return Effect.of(0, lo, hi, 10, lowerIsBetter); }

    @Test
    void sizes() {
        assertEquals(Effect.Size.NEGLIGIBLE, e(-9.0, 9.0, true).size());
        assertEquals(Effect.Size.NEGLIGIBLE, e(-10.0, 10.0, true).size(), "the band's edges belong to it");
        assertEquals(Effect.Size.LARGE, e(-50.0, -11.0, true).size());
        assertEquals(Effect.Size.LARGE, e(11.0, 50.0, true).size());
        assertEquals(Effect.Size.SMALL, e(-20.0, -1.0, true).size(), "excludes 0, reaches into the band");
        assertEquals(Effect.Size.UNCLEAR, e(-20.0, 5.0, true).size(), "holds 0, reaches past the band");
        assertEquals(Effect.Size.UNCLEAR, e(null, 5.0, true).size());
        assertEquals(Effect.Size.LARGE, e(40.0, null, false).size(), "an open end: [40, ?] is still beyond the band");
        assertEquals(Effect.Direction.BETTER, e(40.0, null, false).direction(), "more capacity");
        assertEquals(Effect.Size.SMALL, e(null, -2.0, true).size());
        assertEquals(Effect.Size.UNCLEAR, e(-1.0, null, true).size(), "negligible needs both ends");
    }

    @Test
    void directionsFollowTheMetricsSense() {
        assertEquals(Effect.Direction.BETTER, e(-50.0, -11.0, true).direction(), "lower latency");
        assertEquals(Effect.Direction.WORSE, e(-50.0, -11.0, false).direction(), "lower capacity");
        assertEquals(Effect.Direction.NONE, e(-9.0, 9.0, true).direction());
        assertTrue(e(-1.0, 1.0, true).negligible());
        assertThrows(IllegalArgumentException.class, () -> Effect.of(0, 0.0, 0.0, -1, true));
    }

    @Test
    void bandsAreStatedPerMetric() {
        assertEquals(10, Metric.P95_MS.band(40), 0.0, "floor 10 ms");
        assertEquals(50, Metric.P95_MS.band(500), 0.0, "10 % of 500 ms");
        assertEquals(0.005, Metric.ERROR_RATE.band(0.3), 0.0);
        assertEquals("±0.5 percentage points", Metric.ERROR_RATE.bandWords());
        assertEquals("±10 ms or ±10 % of off, the larger", Metric.P95_MS.bandWords());
    }
}

package io.storecap.model.checklist;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The A/A allowance: relative for what scales, absolute for error rates, none for what it did not measure. */
class DriftTest {
    static Comparison aa(Metric m, double a, double b) {
        return new Comparison(m, Estimate.exact(a, 100), Estimate.exact(b, 100), Effect.of(b - a, b - a, b - a, m.band(a), m.lowerIsBetter));
    }

    @Test
    void aLatencysAllowanceScalesWithTheOffValueAndAnErrorRatesAdds() {
        Drift d = Drift.of(List.of(aa(Metric.P95_MS, 50, 55), aa(Metric.P95_MS, 50, 45), aa(Metric.ERROR_RATE, 0.001, 0.003),
                aa(Metric.CONNECTIONS, 10, 20)));
        assertEquals(0.2 * 400, d.allowance(Metric.P95_MS, 400), 1e-9, "the replicates 50, 55, 45: a range of 10 over a mean of 50");
        assertEquals(0.002, d.allowance(Metric.ERROR_RATE, 0.5), 1e-12, "two in a thousand, whatever the off value");
        assertEquals(0, d.allowance(Metric.CONNECTIONS, 50), 0.0, "a peak's Poisson interval is left as it is");
        assertEquals(0, d.allowance(Metric.ACK_P99_MS, 50), 0.0, "not measured by the pair");
        assertEquals(10, d.alias(Metric.P95_MS, Metric.ACK_P99_MS).allowance(Metric.ACK_P99_MS, 50), 1e-9, "borrowed from the p95");
    }

    @Test
    void wideningMovesBothEndsAndClassifiesAgain() {
        Drift d = Drift.of(List.of(aa(Metric.P95_MS, 90, 110)));
        Comparison c = new Comparison(Metric.P95_MS, Estimate.exact(100, 1000), Estimate.exact(70, 1000),
                Effect.of(-30, -35.0, -25.0, 10, true));
        assertEquals(Effect.Size.LARGE, c.effect().size());
        Comparison w = d.apply(c);
        assertEquals(-55, w.effect().low(), 1e-9);
        assertEquals(-5, w.effect().high(), 1e-9);
        assertEquals(20, w.effect().drift(), 1e-9);
        assertEquals(Effect.Size.SMALL, w.effect().size(), "still below zero, but reaching into the band");
        Comparison open = new Comparison(Metric.P95_MS, Estimate.exact(100, 10), Estimate.exact(70, 10), Effect.of(-30, null, -25.0, 10, true));
        assertEquals(null, d.apply(open).effect().low(), "an open end stays open");
        assertSame(c, Drift.NONE.apply(c));
        assertFalse(Drift.NONE.any());
    }
}

package io.storecap.runner;

import io.storecap.model.checklist.Alerts;
import io.storecap.model.checklist.Comparison;
import io.storecap.model.checklist.Effect;
import io.storecap.model.checklist.Estimate;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The analysis's own arithmetic: the capacity brackets' difference and the webhook rate's Poisson interval. */
class ChecklistAnalysisTest {
    @Test
    void capacityGainIsTheDifferenceOfTheBrackets() {
        // off held 8,000 and failed at 24,000; on held 60,000, the top, and never failed
        Comparison c = ChecklistAnalysis.capacity(new Alerts.Capacity(8000, 24000), new Alerts.Capacity(60000, null), 4, 4);
        assertEquals(8000, c.off().value(), 0.0);
        assertEquals(24000, c.off().high(), 0.0);
        assertNull(c.on().high(), "it never failed: no upper end");
        assertEquals(52000, c.effect().value(), 0.0);
        assertEquals(60000 - 24000 + 1, c.effect().low(), 0.0, "off held fewer than 24,000");
        assertNull(c.effect().high());
        assertEquals(Effect.Size.LARGE, c.effect().size());
        assertEquals(Effect.Direction.BETTER, c.effect().direction());
        // both failed at the same level: the ladder cannot tell them apart
        Comparison same = ChecklistAnalysis.capacity(new Alerts.Capacity(8000, 24000), new Alerts.Capacity(8000, 24000), 4, 4);
        assertEquals(8000 - 24000 + 1, same.effect().low(), 0.0);
        assertEquals(24000 - 8000, same.effect().high(), 0.0);
        assertEquals(Effect.Size.UNCLEAR, same.effect().size());
    }

    @Test
    void theWebhookRateIsAcknowledgedWebhooksAnHourWithGarwoodsInterval() {
        ChecklistCell c = new ChecklistCell("base", "peak", 1000, null, true, "", Map.of(), new double[0], new double[0], new double[0],
                new double[0], new long[0], 600, 0, 0, 72);
        Estimate e = ChecklistAnalysis.webhookRate(c);
        assertEquals(30_000, e.value(), 1e-9, "600 in 72 production seconds");
        double perHour = 3600 / 72.0;
        assertEquals(new org.apache.commons.math3.distribution.GammaDistribution(null, 600, 1).inverseCumulativeProbability(0.025) * perHour,
                e.low(), 1e-6);
        assertEquals(600, e.count());
    }
}

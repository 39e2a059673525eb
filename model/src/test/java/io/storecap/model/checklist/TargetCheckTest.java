package io.storecap.model.checklist;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A target is met or missed only when the whole interval says so. */
class TargetCheckTest {
    @Test
    void belowAGoal() {
        assertEquals(TargetCheck.Status.MET, TargetCheck.below("x", "x", "< 200 ms", 1000, 200, new Estimate(150, 140.0, 180.0, 600), "").status());
        assertEquals(TargetCheck.Status.MISSED, TargetCheck.below("x", "x", "< 200 ms", 1000, 200, new Estimate(250, 210.0, 300.0, 600), "").status());
        assertEquals(TargetCheck.Status.TOO_FEW, TargetCheck.below("x", "x", "< 200 ms", 1000, 200, new Estimate(190, 150.0, null, 40), "").status());
        assertEquals(TargetCheck.Status.NOT_MEASURED, TargetCheck.below("x", "x", "< 200 ms", 1000, 200, null, "").status());
    }

    @Test
    void atLeastAndWithin() {
        assertEquals(TargetCheck.Status.MET, TargetCheck.atLeast("r", "r", ">= 10,000", 1000, 10_000, new Estimate(11_000, 10_200.0, 11_800.0, 900), "").status());
        assertEquals(TargetCheck.Status.MISSED, TargetCheck.atLeast("r", "r", ">= 10,000", 1000, 10_000, new Estimate(9_000, 8_000.0, 9_900.0, 900), "").status());
        assertEquals(TargetCheck.Status.ABOVE, TargetCheck.within("c", "c", "50-100", 1000, 50, 100, new Estimate(130, 110.0, 150.0, 200), "").status());
        assertEquals(TargetCheck.Status.BELOW, TargetCheck.within("c", "c", "50-100", 1000, 50, 100, new Estimate(8, 6.0, 11.0, 200), "").status(),
                "far fewer connections than the plan's 50-100");
        assertEquals(TargetCheck.Status.MET, TargetCheck.within("c", "c", "50-100", 1000, 50, 100, new Estimate(70, 60.0, 80.0, 200), "").status());
        assertEquals(TargetCheck.Status.TOO_FEW, TargetCheck.within("c", "c", "50-100", 1000, 50, 100, new Estimate(48, 40.0, 60.0, 200), "").status());
    }
}

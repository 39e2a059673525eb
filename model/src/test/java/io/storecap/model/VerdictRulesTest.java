package io.storecap.model;

import io.storecap.model.verdict.VerdictRules;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each verdict rule on both sides of its edge: every word can come out, and only from its evidence. */
class VerdictRulesTest {
    static final ClaimedRange BOUNDED = ClaimedRange.of(20, 25);
    static final ClaimedRange OPEN = ClaimedRange.of(1000, null);

    static Measured knee(double low, double point, double high) { return Measured.knee(point, low, high, Binding.REFUSALS, 3); }

    static Measured bound(double l) { return Measured.lowerBound(l, Binding.SEARCH_TOP, null, null); }

    static Measured machine(double l) { return Measured.lowerBound(l, Binding.TEST_MACHINE, "CPU 97 %", null); }

    @Test
    void aKneeOnABoundedClaim() {
        assertEquals(Verdict.OPTIMISTIC, VerdictRules.of(knee(12, 15, 19.9), BOUNDED), "whole interval below 20");
        assertEquals(Verdict.CONFIRMED, VerdictRules.of(knee(12, 15, 20), BOUNDED), "touches 20: overlaps");
        assertEquals(Verdict.CONFIRMED, VerdictRules.of(knee(24, 30, 40), BOUNDED), "overlaps at the top");
        assertEquals(Verdict.CONSERVATIVE, VerdictRules.of(knee(25.1, 30, 40), BOUNDED), "whole interval above 25");
    }

    @Test
    void aLowerBoundOnABoundedClaimCanShowItConservativeButNeverConfirmIt() {
        assertEquals(Verdict.CONSERVATIVE, VerdictRules.of(bound(26), BOUNDED));
        assertEquals(Verdict.NOT_REFUTED, VerdictRules.of(bound(25), BOUNDED), "a bound equal to the top does not confirm");
        assertEquals(Verdict.NOT_REFUTED, VerdictRules.of(bound(22), BOUNDED), "inside");
        assertEquals(Verdict.NOT_REFUTED, VerdictRules.of(bound(5), BOUNDED), "below: nothing refutes the claim");
        assertEquals(Verdict.CONSERVATIVE, VerdictRules.of(machine(500), BOUNDED), "machine-limited is a lower bound too");
    }

    @Test
    void aKneeOnAnOpenClaim() {
        assertEquals(Verdict.CONFIRMED, VerdictRules.of(knee(1000, 1200, 1500), OPEN));
        assertEquals(Verdict.INCONCLUSIVE, VerdictRules.of(knee(900, 1100, 1500), OPEN), "straddles the minimum");
        assertEquals(Verdict.OPTIMISTIC, VerdictRules.of(knee(600, 800, 999), OPEN));
    }

    @Test
    void aLowerBoundOnAnOpenClaim() {
        assertEquals(Verdict.CONFIRMED, VerdictRules.of(bound(1000), OPEN));
        assertEquals(Verdict.NOT_REFUTED, VerdictRules.of(bound(999), OPEN));
        assertEquals(Verdict.CONFIRMED, VerdictRules.of(machine(5000), OPEN));
    }

    @Test
    void nothingMeasuredOrOnlyFailuresAboveTheClaimDecideNothing() {
        assertEquals(Verdict.INCONCLUSIVE, VerdictRules.of(Measured.unknown(Binding.NO_RUN), BOUNDED));
        Measured onlyFailures = new Measured(null, 0.0, 50.0, Binding.REFUSALS, false, false, null, MeasuredKind.KNEE, 0, null);
        assertEquals(Verdict.INCONCLUSIVE, VerdictRules.of(onlyFailures, BOUNDED), "below 50 says nothing of 20-25");
        Measured lowFailures = new Measured(null, 0.0, 10.0, Binding.REFUSALS, false, false, null, MeasuredKind.KNEE, 0, null);
        assertEquals(Verdict.OPTIMISTIC, VerdictRules.of(lowFailures, BOUNDED), "failing at 10 shows 20-25 optimistic");
    }
}

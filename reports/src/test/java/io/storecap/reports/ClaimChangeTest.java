package io.storecap.reports;

import io.storecap.model.MeasuredKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.storecap.reports.ClaimChange.Change.HIGHER;
import static io.storecap.reports.ClaimChange.Change.NOT_COMPARABLE;
import static io.storecap.reports.ClaimChange.Change.OVERLAP;
import static io.storecap.reports.ClaimChange.Change.REGRESSION;
import static org.junit.jupiter.api.Assertions.*;

/** The interval rule of {@link ClaimChange}: a regression only when the new interval lies wholly below the old one. */
class ClaimChangeTest {

    static ClaimInterval knee(double t, double low, double high) {
        return new ClaimInterval("c", "free", "pooled", MeasuredKind.KNEE, t, low, high, "p95", null);
    }

    static ClaimInterval bound(double b) {
        return new ClaimInterval("c", "free", "pooled", MeasuredKind.LOWER_BOUND, b, b, null, "search-top", null);
    }

    static ClaimInterval machine(double b) {
        return new ClaimInterval("c", "free", "pooled", MeasuredKind.MACHINE_LIMITED, b, b, null, "test-machine", "the injector's CPU");
    }

    /** A knee with only failures: capacity below the lowest failing load. */
    static ClaimInterval below(double h) {
        return new ClaimInterval("c", "free", "pooled", MeasuredKind.KNEE, null, 0.0, h, "refusals", null);
    }

    static ClaimInterval none() {
        return new ClaimInterval("c", "free", "pooled", MeasuredKind.NONE, null, null, null, "insufficient", null);
    }

    @ParameterizedTest(name = "knee {0}-{1} against an old {2}-{3}: {4}")
    @CsvSource({
            "400, 480, 500, 700, REGRESSION",    // wholly below
            "400, 500, 500, 700, OVERLAP",       // touching ends overlap
            "450, 650, 500, 700, OVERLAP",       // a lower point estimate, overlapping intervals
            "650, 900, 500, 700, OVERLAP",
            "701, 900, 500, 700, HIGHER",        // wholly above
    })
    void kneeAgainstKnee(double low, double high, double oldLow, double oldHigh, ClaimChange.Change expected) {
        ClaimChange c = ClaimChange.of("c", knee((oldLow + oldHigh) / 2, oldLow, oldHigh), knee((low + high) / 2, low, high));
        assertEquals(expected, c.change(), c.reason());
        assertEquals(expected == REGRESSION, Boolean.TRUE.equals(c.regression()));
        assertNotNull(c.regression(), "a knee against a knee is always comparable");
    }

    @Test
    void aKneeAgainstAnOldLowerBoundRegressesOnlyWhollyBelowTheBound() {
        ClaimChange down = ClaimChange.of("c", bound(1000), knee(800, 700, 950));
        assertEquals(REGRESSION, down.change(), down.reason());
        assertTrue(down.reason().contains("wholly below the baseline's lower bound"), down.reason());
        assertEquals(OVERLAP, ClaimChange.of("c", bound(1000), knee(900, 800, 1100)).change(), "the knee's interval reaches the bound");
        assertEquals(REGRESSION, ClaimChange.of("c", machine(1000), knee(800, 700, 950)).change(),
                "the old study held at 1000 even though its machine saturated above");
    }

    @Test
    void aNewLowerBoundIsNeverARegressionAndBelowTheOldLowEndNotComparable() {
        ClaimChange stops = ClaimChange.of("c", knee(600, 550, 650), machine(400));
        assertEquals(NOT_COMPARABLE, stops.change(), stops.reason());
        assertNull(stops.regression(), "neither a regression nor a pass");
        assertTrue(stops.reason().contains("the test machine saturated first"), stops.reason());
        assertTrue(stops.reason().contains("neither shows nor rules out a drop"), stops.reason());
        ClaimChange top = ClaimChange.of("c", knee(600, 550, 650), bound(500));
        assertEquals(NOT_COMPARABLE, top.change());
        assertTrue(top.reason().contains("nothing bound up to the search's top"), top.reason());

        assertEquals(OVERLAP, ClaimChange.of("c", knee(600, 550, 650), bound(560)).change(), "reaches into the old interval");
        assertEquals(HIGHER, ClaimChange.of("c", knee(600, 550, 650), bound(700)).change(), "above the old interval's top");
        assertEquals(OVERLAP, ClaimChange.of("c", bound(500), bound(500)).change());
        assertEquals(OVERLAP, ClaimChange.of("c", bound(500), machine(900)).change(), "a bound above an old bound: no upper end to be above");
        assertEquals(NOT_COMPARABLE, ClaimChange.of("c", bound(500), machine(300)).change());
    }

    @Test
    void aKneeThatOnlyFailedIsTheIntervalFromZero() {
        ClaimChange c = ClaimChange.of("c", knee(600, 550, 650), below(300));
        assertEquals(REGRESSION, c.change(), c.reason());
        assertTrue(c.reason().startsWith("now < 300, baseline 600 (550–650)"), c.reason());
        assertEquals(OVERLAP, ClaimChange.of("c", knee(600, 550, 650), below(580)).change(), "failing from 580 is still inside");
        assertEquals(OVERLAP, ClaimChange.of("c", below(300), below(100)).change(), "nothing regresses against an old low end of 0");
        assertEquals(OVERLAP, ClaimChange.of("c", below(300), knee(50, 40, 60)).change());
        assertEquals(REGRESSION, ClaimChange.of("c", bound(500), below(300)).change(), "held at 500 before, fails below 300 now");
    }

    @Test
    void aClaimMeasuredInOneStudyOrChangedIsNotComparable() {
        assertEquals(NOT_COMPARABLE, ClaimChange.of("c", knee(600, 550, 650), none()).change());
        assertEquals(NOT_COMPARABLE, ClaimChange.of("c", none(), knee(600, 550, 650)).change());
        assertEquals(NOT_COMPARABLE, ClaimChange.of("c", none(), none()).change());
        ClaimChange gone = ClaimChange.of("c", knee(600, 550, 650), null);
        assertEquals(NOT_COMPARABLE, gone.change());
        assertTrue(gone.reason().contains("not in this study; the baseline measured 600 (550–650)"), gone.reason());
        assertEquals(NOT_COMPARABLE, ClaimChange.of("c", null, knee(600, 550, 650)).change());
        ClaimInterval otherTier = new ClaimInterval("c", "launch", "pooled", MeasuredKind.KNEE, 300.0, 250.0, 350.0, "p95", null);
        ClaimChange moved = ClaimChange.of("c", knee(600, 550, 650), otherTier);
        assertEquals(NOT_COMPARABLE, moved.change(), "a drop on another tier is not a regression of this one");
        assertTrue(moved.reason().contains("moved from tier free to launch"), moved.reason());
        ClaimInterval pointOnly = new ClaimInterval("c", "free", "pooled", MeasuredKind.KNEE, 600.0, null, null, "p95", null);
        assertFalse(pointOnly.measured(), "a knee without an interval has nothing to compare");
        assertEquals(NOT_COMPARABLE, ClaimChange.of("c", pointOnly, knee(100, 90, 110)).change());
    }

    @Test
    void deltaIsTheThresholdsDifference() {
        ClaimChange c = ClaimChange.of("c", knee(700, 680, 760), knee(612.4, 548, 671));
        assertEquals(-87.6, c.delta(), 1e-9);
        assertEquals(-12.514, c.deltaPct(), 1e-3);
        assertNull(ClaimChange.of("c", knee(600, 550, 650), below(300)).delta(), "no threshold, no delta");
    }
}

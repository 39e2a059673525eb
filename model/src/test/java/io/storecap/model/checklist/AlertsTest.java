package io.storecap.model.checklist;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the plan's alerts first fire, the capacity bracket, and the connection count at 80 % of the knee. */
class AlertsTest {
    static final List<Reading> DIRECT = List.of(
            new Reading(1000, 8, 0, 40, true),
            new Reading(6000, 40, 0, 60, true),
            new Reading(18000, 96, 0.2, 900, false),
            new Reading(36000, 97, 0.5, 2000, false));

    @Test
    void theConnectionAlertFiresBetweenTheLastQuietLevelAndTheFirstFiringOne() {
        Alerts.FirstFire f = Alerts.firstFire(Alerts.Rule.CONNECTIONS, DIRECT);
        assertEquals(6000, f.quietAt());
        assertEquals(18000, f.firesAt());
        // 80 lies 40/56 of the way from 40 to 96, in log(stores)
        double expected = Math.exp(Math.log(6000) + 40.0 / 56 * (Math.log(18000) - Math.log(6000)));
        assertEquals(expected, f.estimate(), 1e-6);
        assertTrue(f.words().startsWith("first fires near 13,"), f.words());
    }

    @Test
    void aRuleThatNeverFiresOrFiresAtOnceSaysSo() {
        List<Reading> pooled = List.of(new Reading(1000, 5, 0, 30, true), new Reading(36000, 20, 0, 80, true));
        Alerts.FirstFire never = Alerts.firstFire(Alerts.Rule.CONNECTIONS, pooled);
        assertNull(never.firesAt());
        assertEquals("does not fire up to 36,000 stores", never.words());
        Alerts.FirstFire atOnce = Alerts.firstFire(Alerts.Rule.P95, List.of(new Reading(100, 1, 0, 600, false)));
        assertNull(atOnce.quietAt());
        assertEquals(100, atOnce.firesAt());
    }

    @Test
    void capacityIsTheBracketBelowTheFirstFailure() {
        Alerts.Capacity c = Alerts.capacity(DIRECT);
        assertEquals(6000, c.held());
        assertEquals(18000, c.failed());
        assertEquals(Math.sqrt(6000.0 * 18000), c.knee(), 1e-9);
        Alerts.Capacity open = Alerts.capacity(List.of(new Reading(1000, 5, 0, 30, true), new Reading(36000, 20, 0, 80, true)));
        assertEquals(36000, open.held());
        assertNull(open.knee());
        assertTrue(open.words().startsWith("≥ 36,000"), open.words());
        // a level that held above a failure does not raise the capacity
        assertEquals(1000, Alerts.capacity(List.of(new Reading(1000, 1, 0, 1, true), new Reading(2000, 1, 0, 1, false),
                new Reading(4000, 1, 0, 1, true))).held());
    }

    @Test
    void theSuggestedThresholdIsThePeakAtEightyPercentOfTheKnee() {
        double knee = Math.sqrt(6000.0 * 18000), at = 0.8 * knee; // 8,314 stores: between 6000 and 18000
        double expected = 40 + (at - 6000) / 12000 * (96 - 40);
        assertEquals(expected, Alerts.connectionsAtShareOfKnee(DIRECT, 0.8), 1e-9);
        assertNull(Alerts.connectionsAtShareOfKnee(List.of(new Reading(1000, 5, 0, 30, true)), 0.8), "no knee, no threshold");
    }
}

package io.storecap.model;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LevelResultTest {
    static LevelResult level(double targetRps, double achievedRps, long seconds) {
        return new LevelResult(10, 0, seconds * 1000, targetRps, achievedRps, RequestStats.EMPTY, Map.of(),
                ConnectionStats.EMPTY, ConnectionStats.EMPTY, ConnectionStats.EMPTY, ConnectionStats.EMPTY,
                ConnectionStats.EMPTY, Map.of(), 0, 0, 0);
    }

    @Test
    void aFewMissingArrivalsAtALowRateAreChanceNotASaturatedInjector() {
        // expected 3 requests in 10 s, got 1: a third of the target, but well within Poisson noise
        assertFalse(level(0.3, 0.1, 10).injectorBehind(0.95));
    }

    @Test
    void aLargeShortfallAtAHighRateIsTheInjectorFallingBehind() {
        // expected 3000, got 2700: 10 % short is 5.5 standard deviations
        assertTrue(level(100, 90, 30).injectorBehind(0.95));
        assertFalse(level(100, 99, 30).injectorBehind(0.95), "1 % short is within the ratio allowed");
    }

    @Test
    void onlyConnectionRefusalsAreTheTiersLimit() {
        LevelResult l = new LevelResult(10, 0, 10_000, 1, 1, RequestStats.EMPTY, Map.of(),
                ConnectionStats.EMPTY, ConnectionStats.EMPTY, ConnectionStats.EMPTY, ConnectionStats.EMPTY,
                ConnectionStats.EMPTY, Map.of("db_error", 3L, "instance_limit", 2L, "connect_failed", 1L), 0, 0, 0);
        assertTrue(l.connectionRefusals() == 0, "a database error or the emulator's cap is not Postgres refusing connections");
        LevelResult r = new LevelResult(10, 0, 10_000, 1, 1, RequestStats.EMPTY, Map.of(),
                ConnectionStats.EMPTY, ConnectionStats.EMPTY, ConnectionStats.EMPTY, ConnectionStats.EMPTY,
                ConnectionStats.EMPTY, Map.of("too_many_clients", 3L, "pool_timeout", 2L, "db_error", 1L), 0, 0, 0);
        assertTrue(r.connectionRefusals() == 5);
    }
}

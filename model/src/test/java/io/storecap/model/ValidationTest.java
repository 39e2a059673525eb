package io.storecap.model;

import io.storecap.model.capacity.Validation;
import io.storecap.model.study.CapacityModel;
import io.storecap.model.study.StudyModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ValidationTest {
    @Test
    void fitsTheLowerLevelsAndPredictsTheUpperOnesWithTheirError() {
        RunResult r = CapacityModelTest.linearRun("c"); // 8 good levels: train on 6, predict 150 and 180
        List<ValidationRow> rows = Validation.holdOut("c", r, ModelSettings.defaults());
        assertEquals(2, rows.size());
        assertEquals(List.of(10, 25, 50, 75, 100, 125), rows.get(0).fittedOn());
        assertEquals(150, rows.get(0).stores());
        assertEquals(180, rows.get(1).stores());
        for (ValidationRow v : rows) {
            double truth = 4 + 0.5 * v.stores();
            assertEquals(truth, v.predicted(), 3);
            assertEquals(100 * (v.predicted() - v.measured()) / v.measured(), v.errorPercent(), 1e-9);
            assertTrue(Math.abs(v.errorPercent()) < 5, "error " + v.errorPercent());
            assertTrue(v.withinInterval());
        }
    }

    @Test
    void aPredictionThatMissesIsReportedAsOutsideTheInterval() {
        // growth bends upward at the top: the line fitted below cannot know
        RunResult r = Runs.run("c", Runs.FREE, Route.DIRECT, 1, Runs.levels(new int[]{10, 20, 30, 40, 50, 60},
                s -> s <= 40 ? 2 + 0.5 * s + (s % 20 == 0 ? 0.2 : -0.2) : 2 + 0.5 * s + (s - 40) * 1.5));
        List<ValidationRow> rows = Validation.holdOut("c", r, ModelSettings.defaults());
        assertEquals(2, rows.size());
        assertFalse(rows.get(1).withinInterval());
        assertTrue(rows.get(1).errorPercent() < -20, "under-predicts by " + rows.get(1).errorPercent());
    }

    @Test
    void tooFewGoodLevelsGiveNoRows() {
        RunResult r = Runs.run("c", Runs.FREE, Route.DIRECT, 1, Runs.level(10, 5), Runs.level(20, 9), Runs.level(30, 14));
        assertTrue(Validation.holdOut("c", r, ModelSettings.defaults()).isEmpty());
    }

    @Test
    void tierCapacitiesUseTheRoutesFitForEveryTier() {
        StudyModel sm = CapacityModel.evaluate(List.of(CapacityModelTest.claim("free-direct", 150, 200)),
                java.util.Map.of("free", Runs.FREE, "launch", Runs.LAUNCH), List.of(CapacityModelTest.linearRun("free-direct")),
                ModelSettings.defaults());
        TierCapacity launch = sm.tierCapacities().stream().filter(t -> t.tier().equals("launch")).findFirst().orElseThrow();
        assertEquals((197 - 4) / 0.5, launch.stores(), 10);
        assertTrue(launch.extrapolated(), "386 stores is beyond the 180 measured");
        assertEquals(19 / launch.stores(), launch.costPerStoreUsd(), 1e-9);
    }
}

package io.storecap.model.checklist;

import io.storecap.model.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** config/checklist.yaml as the checklist reads it, and what the parser refuses beyond the schema. */
class ChecklistPlanTest {
    static final Path FILE = Path.of("..", "config", "checklist.yaml");

    @Test
    void theProjectsChecklistReads() {
        ChecklistPlan p = ChecklistPlan.load(FILE);
        assertEquals("free", p.tier());
        assertEquals(java.util.List.of("pooling", "accelerate", "bigger-tier", "indexes", "paginate", "cache", "queue"),
                p.steps().stream().map(ChecklistPlan.Step::id).toList());
        ChecklistPlan.Step accelerate = p.steps().get(1);
        assertEquals("on", accelerate.on().values().get("accelerate"));
        assertEquals(ChecklistPlan.Side.BASE, accelerate.off());
        assertEquals("route=pooled", p.steps().get(0).on().key());
        assertEquals("indexes=off", p.steps().get(3).off().key());
        assertTrue(p.cells(true).ladder().contains(p.cells(true).planStores()));
        assertTrue(p.cells(true).dashboardLoads() >= 59);
    }

    static final String STEP = """
            tier: free
            steps:
              - id: a
                kind: option
                words: "A"
                hours: {value: 1, reason: "r"}
                monthlyCostUsd: {value: 0, reason: "r"}
                %2$s
                sources: []
            modes:
              quick: {ladder: [1000, 2000], nowStores: 25, planStores: %1$d, nowSeconds: 30, dashboardStores: [100],
                      dashboardLoads: 75, dashboardSeconds: 20, webhookStores: 1000, webhookSeconds: 30}
              full: {ladder: [1000, 2000], nowStores: 25, planStores: %1$d, nowSeconds: 30, dashboardStores: [100],
                     dashboardLoads: 75, dashboardSeconds: 20, webhookStores: 1000, webhookSeconds: 30}
            """;

    @Test
    void aStepGivesExactlyOneSideAndTheLadderHoldsThePlanningPoint() {
        String both = STEP.formatted(1000, "on: {route: pooled}\n    off: {route: direct}");
        assertEquals("checklist.yaml: step 'a': give exactly one of 'on:' (what the base lacks) or 'off:' (what the base has)",
                assertThrows(ConfigException.class, () -> ChecklistPlan.parse(both, "checklist.yaml")).getMessage());
        String noPlan = STEP.formatted(500, "on: {route: pooled}");
        assertTrue(assertThrows(ConfigException.class, () -> ChecklistPlan.parse(noPlan, "checklist.yaml")).getMessage()
                .contains("must hold planStores 500"));
        String bad = STEP.formatted(1000, "on: {route: sideways}");
        assertTrue(assertThrows(ConfigException.class, () -> ChecklistPlan.parse(bad, "checklist.yaml")).getMessage()
                .contains("must be direct or pooled"));
    }
}

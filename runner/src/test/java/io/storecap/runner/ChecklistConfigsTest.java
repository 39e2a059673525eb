package io.storecap.runner;

import io.storecap.model.RuntimesFile;
import io.storecap.model.TiersFile;
import io.storecap.model.checklist.ChecklistPlan;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configurations config/checklist.yaml asks for, checked before any load runs. */
class ChecklistConfigsTest {
    static final Path CONFIG = Path.of("..", "config");

    @Test
    void theBaseRunsFirstAndItsAaRepeatsMidRunAndLastInFreshEnvironmentsAtThePlansStoreCount() {
        Path file = CONFIG.resolve("checklist.yaml");
        ChecklistPlan plan = ChecklistPlan.load(file);
        List<Checklist.Config> configs = Checklist.configs(plan, TiersFile.load(CONFIG.resolve("tiers.yaml")),
                StudyConfig.load(CONFIG.resolve("study.yaml")), RuntimesFile.load(CONFIG.resolve("runtimes.yaml")).defaultRuntime(),
                new Checklist.Options(true, 1L, "local", file), file);
        assertEquals("base", configs.get(0).id());
        Checklist.Config last = configs.get(configs.size() - 1);
        assertEquals("repeat-2", last.id());
        int mid = configs.stream().map(Checklist.Config::id).toList().indexOf("repeat-1");
        assertTrue(mid > 1 && mid < configs.size() - 2, "the first repeat runs mid-run, at " + mid + " of " + configs.size());
        assertEquals(configs.get(mid).cells(), last.cells());
        int p = plan.quick().planStores();
        assertEquals(List.of("ladder@" + p, "dashboard@" + p), last.cells().stream().map(ChecklistCells.Cell::key).toList());
        assertEquals(configs.get(0).run().serviceOptions(), last.run().serviceOptions(), "the same settings as the base");
        assertEquals(configs.get(0).run().tier(), last.run().tier());
        assertEquals(configs.get(0).run().route(), last.run().route());
        assertTrue(configs.get(0).cells().containsAll(last.cells()), "every repeated cell has its first measurement in the base");
    }

    @Test
    void everyConfigurationsCellOfOneKindAndSizeReplaysTheSameArrivals() {
        var a = new ChecklistCells.Cell(ChecklistCells.Kind.LADDER, 1000);
        assertEquals(ChecklistCells.cellSeed(5, a), ChecklistCells.cellSeed(5, new ChecklistCells.Cell(ChecklistCells.Kind.LADDER, 1000)));
        assertTrue(ChecklistCells.cellSeed(5, a) != ChecklistCells.cellSeed(5, new ChecklistCells.Cell(ChecklistCells.Kind.LADDER, 8000)));
        assertTrue(ChecklistCells.cellSeed(5, a) != ChecklistCells.cellSeed(6, a), "another run's seed, other arrivals");
    }
}

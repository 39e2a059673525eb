package io.storecap.model;

import java.util.List;
import java.util.Map;

/**
 * run.json: one run of one configuration over its stair. The hand-off from the simulation stage
 * to the model stage; nothing downstream needs anything else from the run.
 *
 * @param runId          folder name of the run
 * @param config         the settings that produced it
 * @param profile        the traffic profile as it was used (per-store rates per kind)
 * @param environment    versions and provider facts (postgres, pgbouncer, java, machine)
 * @param levels         one entry per level of the stair, in order
 * @param reconciliation webhooks sent / acknowledged / stored / duplicated / lost
 * @param gatlingReport  path of the Gatling report's index.html, relative to the run folder
 * @param samplesFile    path of the telemetry samples, relative to the run folder
 * @param startedEpochMs wall-clock start
 * @param finishedEpochMs wall-clock end
 * @param notes          anything the run wants a reader to know (a fault, a warning)
 */
public record RunResult(String runId, RunConfig config, Map<String, Object> profile,
                        Map<String, String> environment, List<LevelResult> levels,
                        Reconciliation reconciliation, String gatlingReport, String samplesFile,
                        long startedEpochMs, long finishedEpochMs, List<String> notes) {
    public RunResult {
        levels = List.copyOf(levels);
        notes = notes == null ? List.of() : List.copyOf(notes);
        profile = profile == null ? Map.of() : profile;
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        if (reconciliation == null) reconciliation = Reconciliation.NONE;
    }
}

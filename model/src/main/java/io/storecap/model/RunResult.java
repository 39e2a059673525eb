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
 * @param seed           the run's seed (each level's seed is derived from it and recorded on the level); null if unseeded
 * @param search         how the knee search ran and ended; null for a fixed stair
 */
public record RunResult(String runId, RunConfig config, TrafficProfile profile,
                        Map<String, String> environment, List<LevelResult> levels,
                        Reconciliation reconciliation, String gatlingReport, String samplesFile,
                        long startedEpochMs, long finishedEpochMs, List<String> notes, Long seed, Search search) {

    /**
     * The knee search of a run, as it ended.
     *
     * @param end          "BRACKET", "LOWER_BOUND", "MACHINE_LIMITED" or "INCONCLUSIVE"
     * @param low          highest store count that held when it ended (null if none)
     * @param high         lowest store count that failed (null if none)
     * @param why          how it ended, in words
     * @param replicates   measurements asked of each end of the bracket
     * @param bracketRatio the bracket's target width
     * @param timeScaleMin smallest time scale of its levels
     * @param timeScaleMax largest time scale of its levels
     * @param idleTtlSeconds the instances' idle TTL, production-equivalent (scaled by each level's k)
     */
    public record Search(String end, Integer low, Integer high, String why, int replicates, double bracketRatio,
                         double timeScaleMin, double timeScaleMax, double idleTtlSeconds) {}

    /** A fixed-stair run without a seed. */
    public RunResult(String runId, RunConfig config, TrafficProfile profile, Map<String, String> environment,
                     List<LevelResult> levels, Reconciliation reconciliation, String gatlingReport, String samplesFile,
                     long startedEpochMs, long finishedEpochMs, List<String> notes) {
        this(runId, config, profile, environment, levels, reconciliation, gatlingReport, samplesFile, startedEpochMs,
                finishedEpochMs, notes, null, null);
    }

    public RunResult {
        levels = List.copyOf(levels);
        notes = notes == null ? List.of() : List.copyOf(notes);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        if (reconciliation == null) reconciliation = Reconciliation.NONE;
    }
}

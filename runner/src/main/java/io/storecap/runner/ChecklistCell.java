package io.storecap.runner;

import io.storecap.model.LevelResult;

import java.util.Map;

/**
 * What one checklist cell measured (one configuration, one kind of level, one store count), kept
 * whole in checklist/cells.json so the comparisons can be recomputed from it. Times are
 * production-equivalent (emulated times over the level's time scale k).
 *
 * @param config             the configuration's id ("base", "pooling-on", "indexes-off", ...)
 * @param kind               ladder, now, dashboard, peak or burst
 * @param stores             the store count
 * @param level              the measured level, as run.json holds levels
 * @param holds              the level judge's outcome: TRUE held, FALSE failed, null could not say
 * @param judgement          the judge's reason in words
 * @param histograms         request kind ("all" too) -> [latency ms, count] pairs of the measured level
 * @param connections        the app's Postgres connections, every 10 Hz sample of the measured level
 * @param cpuMs              Postgres CPU (postmaster and backends) per 1 s slice of the measured level, ms
 * @param cpuRequests        requests the service received in the same slices
 * @param dashboardHeld      per dashboard load of the measured level, the most connections it held at once
 * @param webhookDelaysMs    per webhook received in the measured level, acknowledgement to processed
 * @param webhooksAcknowledged webhooks the simulated Shopify saw acknowledged in the cell
 * @param webhooksLost       of those, lost (not stored, not processed, or their effect missing)
 * @param webhooksDuplicated stored or applied more than once
 * @param seconds            production-equivalent seconds of the measured level
 */
public record ChecklistCell(String config, String kind, int stores, LevelResult level, Boolean holds, String judgement,
                            Map<String, long[][]> histograms, double[] connections, double[] cpuMs, double[] cpuRequests,
                            double[] dashboardHeld, long[] webhookDelaysMs, long webhooksAcknowledged, long webhooksLost,
                            long webhooksDuplicated, double seconds) {

    /** The cell's key within its configuration, e.g. "ladder@1000". */
    public String key() { return kind + "@" + stores; }
}

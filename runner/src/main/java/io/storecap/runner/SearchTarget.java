package io.storecap.runner;

import io.storecap.environment.ProcessCpu;
import io.storecap.environment.TelemetrySampler;
import io.storecap.simulations.LoadControl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a knee search runs its levels against: the reference service storecap starts itself
 * ({@link #local}, a {@link RunHarness}), or a deployment someone runs ({@link ExternalHarness}).
 * {@link SearchRun} asks only this of it; closing it stops whatever it started.
 */
interface SearchTarget extends AutoCloseable {

    /** Seconds each start-up stage took (provisioning, seeding, warm-up). */
    Map<String, Double> stageSeconds();

    /** The stores the load maps its store numbers onto: seeded locally, the deployment's own otherwise. */
    int stores();

    /**
     * Before each level: locally the service's time scale k and idle TTL are set and its instances
     * retired (the level starts from an empty pool); a deployment has neither, and waits its cool-down.
     */
    void beforeLevel(double k, double idleTtlMs);

    /** Whether webhooks are queued in the service, to be drained and timed (locally only). */
    boolean queuedWebhooks();

    /** Reconciliation and queue checks against the service's own tables; null when they are not storecap's to read. */
    WebhookChecks webhooks();

    /** What this target shares with the simulation it runs (its level clock, the early stop). */
    LoadControl control();

    /** The system properties the simulation runs with against this target (URL, secrets, routes, stores, cap). */
    Map<String, String> simulationProperties();

    /** CPU of the processes behind a level that run on this machine. */
    ProcessCpu processCpu();

    TelemetrySampler sampler();

    /** Facts for run.json: provider, versions, what is and is not measured. Never secrets. */
    Map<String, String> environment();

    /** A measured level as far as this target shows it: unchanged locally; without what a deployment hides. */
    default io.storecap.model.LevelResult seen(io.storecap.model.LevelResult level) { return level; }

    /** What a reader of the run must know about this target (empty locally). */
    List<String> notes();

    @Override
    void close();

    /** The reference service on this machine, as the study has always run it. */
    static SearchTarget local(RunHarness h) {
        return new SearchTarget() {
            @Override public Map<String, Double> stageSeconds() { return h.stageSeconds(); }
            @Override public int stores() { return h.seededStores(); }
            @Override public void beforeLevel(double k, double idleTtlMs) { h.setTimeScale(k, idleTtlMs); }
            @Override public boolean queuedWebhooks() { return h.queuedWebhooks(); }
            @Override public WebhookChecks webhooks() { return h.webhooks(); }
            @Override public LoadControl control() { return h.control(); }
            @Override public ProcessCpu processCpu() { return h.processCpu(); }
            @Override public TelemetrySampler sampler() { return h.sampler(); }
            @Override public Map<String, String> environment() { return h.environment(); }
            @Override public List<String> notes() { return List.of(); }
            @Override public void close() { h.close(); }

            @Override
            public Map<String, String> simulationProperties() {
                Map<String, String> p = new LinkedHashMap<>();
                p.put("storecap.baseUrl", h.baseUrl());
                p.put("storecap.appSecret", h.appSecret());
                p.put("storecap.adminToken", h.adminToken());
                p.put("storecap.seededStores", String.valueOf(h.seededStores()));
                return p;
            }
        };
    }
}

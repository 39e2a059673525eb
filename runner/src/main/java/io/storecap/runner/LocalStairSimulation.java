package io.storecap.runner;

import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.Tier;
import io.storecap.model.TrafficProfile;
import io.storecap.simulations.SimulationSettings;
import io.storecap.simulations.StairSimulation;

/**
 * The stair with its own environment, for {@code mvn gatling:test -pl runner}: starts Postgres
 * ({@code -Dstorecap.maxConnections}, 100), PgBouncer ({@code -Dstorecap.route=pooled}) and the
 * service as the study's config/study.yaml sets it (its quick idle TTL), seeds the stores, and
 * stops everything when the simulation ends. {@code -Dstorecap.scenario=peak|burst|soak} picks
 * the scenario. The study itself does not use this class: its harness outlives each Gatling run.
 */
public class LocalStairSimulation extends StairSimulation {

    @Override
    protected Target target(SimulationSettings s, TrafficProfile profile) {
        int max = s.maxConnections();
        Tier tier = new Tier("local-" + max, "local, " + max + " connections", max, 3, 0, 10000, 0, null);
        StudyConfig study = StudyConfig.load(SimulationSettings.configFile(System.getProperty("storecap.study"), "study.yaml"));
        RunConfig cfg = RunConfig.builder("gatling-" + s.route(), tier, Route.parse(s.route())).mode(study.mode())
                .connectionLimit(study.connectionLimit()).idleTtlSeconds(study.quick().idleTtlSeconds()).coldStartMs(study.coldStartMs())
                .levels(s.levels()).levelSeconds(s.levelSeconds()).settleSeconds(Math.min(5, s.levelSeconds() / 3))
                .functionMs(study.functionMs()).dbLatencyMs(study.dbLatencyMs()).serviceOptions(study.serviceOptions()).build();
        RunHarness h = RunHarness.start(cfg, profile, s.levels().get(s.levels().size() - 1), s.runDir());
        // the simulation reads storecap.control when its fields are set, after this returns
        System.setProperty(io.storecap.simulations.LoadControl.PROPERTY, h.control().id());
        return new Target(h.baseUrl(), h.appSecret(), h.adminToken(), ledger -> h.webhooks().reconcile(ledger), h);
    }
}

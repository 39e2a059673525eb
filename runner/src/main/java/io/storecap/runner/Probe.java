package io.storecap.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.environment.ProcessCpu;
import io.storecap.model.LevelResult;
import io.storecap.model.RunConfig;
import io.storecap.simulations.LevelPlan;
import io.storecap.simulations.LoadControl;
import io.storecap.simulations.StairSimulation;
import io.storecap.simulations.WebhookLedger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One probe of a harness: a list of levels (unmeasured ones first, then the measured one) run through
 * Gatling at one time scale and idle TTL, and the measured level as the database and the service saw
 * it, production-equivalent. The knee search and {@code ./storecap validate} both run levels this way.
 */
final class Probe {
    private Probe() {}

    /** The measured level and the webhook ledger of the probe. */
    record Result(LevelResult level, WebhookLedger ledger) {}

    /**
     * @param ttlSeconds  the instances' idle TTL, production seconds (the service stretches it by k)
     * @param measured    index in {@code plan} of the measured level (the ones before it warm the pool up)
     * @param watch       started while the levels run, interrupted after (progress, early stop); may be null
     */
    static Result run(SearchTarget h, RunConfig config, List<LevelPlan> plan, Path profileFile, Path dir, double ttlSeconds, int measured,
                      java.util.function.Supplier<Thread> watch) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        Path planFile = dir.resolve("plan.json");
        LevelPlan.write(planFile, plan);
        // set first: a backlog left by the level before then drains at this level's pace
        h.beforeLevel(plan.get(0).timeScale(), ttlSeconds * 1000);
        Map<String, String> props = new LinkedHashMap<>(h.simulationProperties());
        props.put(LoadControl.PROPERTY, h.control().id());
        props.put("storecap.profile", profileFile.toAbsolutePath().toString());
        props.put("storecap.runDir", dir.toAbsolutePath().toString());
        props.put("storecap.plan", planFile.toAbsolutePath().toString());
        props.forEach(System::setProperty);
        ProcessCpu cpu = h.processCpu();
        Map<String, Long> before = cpu.snapshot();
        long t0 = System.currentTimeMillis();
        Thread w = watch == null ? null : watch.get();
        LevelPlan last = plan.get(measured);
        try {
            GatlingRunner.run(StairSimulation.class, dir, config.id() + " " + last.phase() + " " + last.stores());
        } finally {
            if (w != null) w.interrupt();
            props.keySet().forEach(System::clearProperty);
        }
        double wall = Math.max(0.001, (System.currentTimeMillis() - t0) / 1000.0);
        Map<String, Double> cores = new LinkedHashMap<>();
        ProcessCpu.secondsBetween(before, cpu.snapshot()).forEach((k, v) -> cores.put(k, v / wall));
        JsonNode levels = RunOrchestrator.read(dir.resolve("levels.json"));
        WebhookLedger ledger = RunOrchestrator.readLedger(dir);
        JsonNode m = levels.path("levels").get(measured);
        double[] delay = h.queuedWebhooks()
                ? h.webhooks().webhookDelay(ledger.prefix(), m.path("startEpochMs").asLong(), m.path("endEpochMs").asLong()) : null;
        LevelResult level = h.seen(RunOrchestrator.level(m, h.sampler().samples(), 0, delay, true, cores));
        return new Result(withProbeColdStart(level, h, levels.path("levels").get(0).path("startEpochMs").asLong()), ledger);
    }

    /**
     * The cold-start delay is a property of each start, not of the window: a level whose pool was built
     * in its ramp has no cold start of its own, so the delay is read over the whole probe.
     */
    private static LevelResult withProbeColdStart(LevelResult l, SearchTarget h, long probeStart) {
        io.storecap.model.InstanceObservation o = l.observed();
        if (o == null || o.coldStarts() > 0) return l;
        double seconds = RunOrchestrator.coldStartSeconds(h.sampler().samples(), probeStart, l.endEpochMs(), l.timeScale());
        if (!(seconds > 0)) return l;
        return l.withObserved(new io.storecap.model.InstanceObservation(o.functionSeconds(), seconds, o.served(), o.coldStarts(),
                o.instanceConnections(), o.otherConnections()));
    }
}

package io.storecap.runner;

import io.storecap.model.Json;
import io.storecap.model.RunConfig;
import io.storecap.simulations.LevelClock;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a {@link Fault} on its own thread at its point of the stair, and records when it really happened. */
final class FaultWindow {
    private final Fault fault;
    private final Thread thread;
    private volatile long injectedAt;
    private volatile long recoveredAt;
    private volatile Exception failure;

    private FaultWindow(Fault fault, RunHarness harness, RunConfig config, PrintStream progress) {
        this.fault = fault;
        this.thread = new Thread(() -> {
            try {
                LevelClock clock;
                while ((clock = harness.control().clock()) == null || clock.t0() == 0) Thread.sleep(50);
                long total = clock.totalMs();
                long at = clock.t0() + Math.round(fault.at() * total);
                Thread.sleep(Math.max(0, at - System.currentTimeMillis()));
                injectedAt = System.currentTimeMillis();
                progress.printf("    fault %s at +%.1f s: %s%n", fault.id(), (injectedAt - clock.t0()) / 1000.0, fault.description());
                fault.inject(harness);
                Thread.sleep(fault.durationMs());
                fault.recover(harness);
                recoveredAt = System.currentTimeMillis();
                progress.printf("    fault %s over at +%.1f s%n", fault.id(), (recoveredAt - clock.t0()) / 1000.0);
            } catch (InterruptedException e) {
                // the run ended first
            } catch (Exception e) {
                failure = e;
                progress.printf("    fault %s failed: %s%n", fault.id(), e);
            }
        }, "fault-" + fault.id());
        thread.setDaemon(true);
    }

    static FaultWindow schedule(Fault fault, RunHarness harness, RunConfig config, PrintStream progress) {
        FaultWindow w = new FaultWindow(fault, harness, config, progress);
        w.thread.start();
        return w;
    }

    /** Waits for the fault to finish (bounded), writes faults.json and returns the notes for run.json. */
    List<String> finish(Path runDir) {
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        List<String> notes = new ArrayList<>();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", fault.id());
        f.put("description", fault.description());
        f.put("injectedEpochMs", injectedAt == 0 ? null : injectedAt);
        f.put("recoveredEpochMs", recoveredAt == 0 ? null : recoveredAt);
        f.put("observed", fault.observed());
        f.put("failure", failure == null ? null : failure.toString());
        try {
            Json.JSON.writeValue(runDir.resolve("faults.json").toFile(), List.of(f));
        } catch (IOException e) {
            notes.add("could not write faults.json: " + e.getMessage());
        }
        if (injectedAt == 0) notes.add("fault " + fault.id() + " was never injected (the stair ended first)");
        else notes.add("fault " + fault.id() + " (" + fault.description() + ") from " + Instant.ofEpochMilli(injectedAt) + " to "
                + (recoveredAt == 0 ? "the end of the run" : Instant.ofEpochMilli(recoveredAt))
                + (fault.observed().isEmpty() ? "" : "; " + fault.observed()) + (failure == null ? "" : "; the fault itself failed: " + failure));
        return notes;
    }

    long injectedAt() { return injectedAt; }

    long recoveredAt() { return recoveredAt; }
}

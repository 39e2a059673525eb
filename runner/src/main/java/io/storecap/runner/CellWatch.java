package io.storecap.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.environment.ProcessCpu;
import io.storecap.environment.Sample;
import io.storecap.model.Json;
import io.storecap.model.LevelResult;
import io.storecap.simulations.LevelClock;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Watches one checklist cell while it runs: every second, Postgres' CPU (the postmaster and its
 * backends, from /proc), the requests the service has received and the dashboard loads it has
 * answered by connections held (its /metrics); and, for a ladder cell, the search's early stop
 * (refusals, or direct connections at the usable limit) so a level past the knee does not run on.
 */
final class CellWatch {
    /** One reading. */
    record Tick(long epochMs, long cpuTicks, long requests, Map<Integer, Long> dashboard) {}

    private final RunHarness h;
    private final ProcessCpu cpu;
    private final boolean earlyStop;
    private final int usable;
    private final boolean direct;
    private final List<Tick> ticks = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    CellWatch(RunHarness h, ProcessCpu cpu, boolean earlyStop, int usable, boolean direct) {
        this.h = h;
        this.cpu = cpu;
        this.earlyStop = earlyStop;
        this.usable = usable;
        this.direct = direct;
    }

    /** Postgres' CPU as a process tree (the postmaster is a backend's parent); null when it is not a local process. */
    static ProcessCpu postgresCpu(RunHarness h) {
        if (!ProcessCpu.available()) return null;
        try (Connection c = h.environmentHandle().adminConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            long backend = rs.getLong(1);
            return ProcessHandle.of(backend).flatMap(ProcessHandle::parent)
                    .map(p -> ProcessCpu.create().withTree("postgres", p.pid())).orElse(null);
        } catch (java.sql.SQLException | RuntimeException e) {
            return null;
        }
    }

    /** The watching thread, started: Probe asks for it as the levels start and interrupts it after them. */
    Thread thread() {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    tick();
                    if (earlyStop) maybeStop();
                    Thread.sleep(1000);
                }
            } catch (InterruptedException ignored) {
                // the cell is over
            }
        }, "checklist-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Takes one reading now (also called once after the cell, for the last slice and the dashboard's end). */
    void tick() {
        long ticksNow = cpu == null ? -1 : cpu.snapshot().getOrDefault("postgres", -1L);
        long requests = -1;
        Map<Integer, Long> dash = new TreeMap<>();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(h.baseUrl() + "/metrics")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode m = Json.JSON.readTree(r.body());
            long sum = 0;
            for (JsonNode v : m.path("requests")) sum += v.asLong();
            requests = sum;
            m.path("dashboardConnections").fields().forEachRemaining(e -> dash.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
        } catch (Exception e) {
            // an overloaded service may not answer within 2 s: this tick has no service reading
        }
        ticks.add(new Tick(System.currentTimeMillis(), ticksNow, requests, dash));
    }

    private void maybeStop() {
        LevelClock c = h.control().clock();
        if (c == null || c.t0() <= 0 || c.size() < 2 || h.control().stopped()) return;
        long from = c.t0() + c.startMs(1);
        if (System.currentTimeMillis() < from) return;
        List<Sample> all = h.sampler().samples();
        long refused = LevelResult.connectionRefusals(RunOrchestrator.refusalDelta(all, from, Long.MAX_VALUE));
        double conns = RunOrchestrator.max(RunOrchestrator.window(all, from, Long.MAX_VALUE), Sample::appBackends);
        if (refused >= SearchRun.EARLY_STOP_REFUSALS || (direct && conns >= usable)) h.control().stopNow();
    }

    /** CPU ms and requests per whole 1 s slice inside [from, to); empty when CPU was not readable. */
    double[][] slices(long from, long to) {
        List<Tick> in = new ArrayList<>();
        synchronized (ticks) {
            for (Tick t : ticks) if (t.epochMs() >= from && t.epochMs() <= to && t.cpuTicks() >= 0 && t.requests() >= 0) in.add(t);
        }
        int n = Math.max(0, in.size() - 1);
        double[] cpuMs = new double[n], req = new double[n];
        for (int i = 0; i < n; i++) {
            cpuMs[i] = (in.get(i + 1).cpuTicks() - in.get(i).cpuTicks()) * 10.0; // 100 ticks a second
            req[i] = in.get(i + 1).requests() - in.get(i).requests();
        }
        return new double[][]{cpuMs, req};
    }

    /** Per dashboard load answered from {@code from} on (to the last reading), the connections it held. */
    double[] dashboardLoads(long from) {
        Tick base = null, last = null;
        synchronized (ticks) {
            for (Tick t : ticks) {
                if (t.requests() < 0) continue;
                if (base == null && t.epochMs() >= from) base = t;
                last = t;
            }
        }
        if (base == null || last == null) return new double[0];
        List<Double> out = new ArrayList<>();
        for (Map.Entry<Integer, Long> e : last.dashboard().entrySet()) {
            long n = e.getValue() - base.dashboard().getOrDefault(e.getKey(), 0L);
            for (long i = 0; i < n; i++) out.add((double) e.getKey());
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}

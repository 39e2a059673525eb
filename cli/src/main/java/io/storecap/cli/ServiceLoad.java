package io.storecap.cli;

import io.storecap.environment.LocalPgBouncer;
import io.storecap.environment.ProcessCpu;
import io.storecap.environment.Sample;
import io.storecap.environment.ServiceProcess;
import io.storecap.environment.TelemetrySampler;
import io.storecap.model.Quantiles;
import io.storecap.runner.GatlingRunner;
import io.storecap.simulations.InjectionSimulation;
import io.storecap.simulations.ThroughputSimulation;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service under Gatling on the bench's database: its throughput on the closed mix (server mode
 * through PgBouncer with the telemetry sampler running, and serverless cold, directly) and how
 * exactly the open injector keeps a target arrival rate.
 */
final class ServiceLoad {
    /**
     * Server mode through PgBouncer: ok requests a second, and what the telemetry sampler cost
     * meanwhile (its CPU share of one core, its p99 time to take a sample, how many it took, and
     * its p99 by source).
     */
    record ServerPooled(double tps, double samplerCpuShare, double samplerP99Ms, int samplerSamples, Map<String, Double> samplerSourceP99Ms) {}

    /** Achieved / target arrivals at a rate and at twice it. */
    record Injection(double atRate, double atTwiceRate) {}

    private final PrintStream out;
    private final BenchDatabase db;
    private final BenchFigures figures;
    private final int connections;
    private final int seconds;
    /** Unmeasured load before each service measurement, for both JVMs' JIT. */
    private final int warmUp;

    ServiceLoad(PrintStream out, BenchDatabase db, BenchFigures figures, int connections, int seconds, int warmUp) {
        this.out = out;
        this.db = db;
        this.figures = figures;
        this.connections = connections;
        this.seconds = seconds;
        this.warmUp = warmUp;
    }

    /** The service in server mode through the same PgBouncer pgbench used, sampled at 10 Hz. */
    ServerPooled serverPooled(Path outDir) {
        try (ServiceProcess svc = db.service(db.bouncer.handle().appJdbcUrl(), Map.of("mode", "server",
                "server-pool-size", String.valueOf(connections)), outDir.resolve("service-server.log"));
             TelemetrySampler sampler = TelemetrySampler.of(db.pg.handle()).withPgBouncer(db.bouncer.handle())
                     .withServiceMetrics(URI.create(svc.baseUrl() + "/metrics")).withPeriodMs(100).start()) {
            long cpu0 = sampler.cpuNanos();
            long t0 = System.nanoTime();
            double tps = throughput(svc, outDir.resolve("service-server"), Bench.SERVICE_POOLED, db.cpu(svc), db.bouncer);
            long wall = System.nanoTime() - t0;
            long cpu = sampler.cpuNanos() - Math.max(0, cpu0);
            double share = cpu < 0 ? Double.NaN : (double) cpu / wall;
            double[] lat = sampler.samples().stream().mapToDouble(Sample::latencyMs).sorted().toArray();
            double p99 = lat.length == 0 ? Double.NaN : Quantiles.nearestRank(lat, 0.99);
            return new ServerPooled(tps, share, p99, lat.length, sampler.sourceP99Ms());
        }
    }

    /** The serverless cold path: a new connection per request, directly to Postgres. */
    double serverlessCold(Path outDir) {
        try (ServiceProcess svc = db.service(db.pg.handle().appJdbcUrl(), Map.of("mode", "serverless", "connection-limit", "1",
                "keep-alive", "off", "cold-start-ms", "0"), outDir.resolve("service-cold.log"))) {
            return throughput(svc, outDir.resolve("service-cold"), "service, serverless cold, direct", db.cpu(svc), null);
        }
    }

    /** Achieved / target arrivals at {@code rate} and at twice it, on one service in server mode. */
    Injection injectionAccuracy(double rate, Path outDir) {
        try (ServiceProcess svc = db.service(db.pg.handle().appJdbcUrl(), Map.of("mode", "server"), outDir.resolve("service-inject.log"))) {
            double a1 = injection(svc, rate, outDir.resolve("inject-1x"));
            double a2 = injection(svc, 2 * rate, outDir.resolve("inject-2x"));
            return new Injection(a1, a2);
        }
    }

    /**
     * The service's throughput on the closed mix, after an unmeasured warm-up of the same load (the
     * service's and Gatling's JIT compile their hot paths there; pgbench needs none). The CPU split
     * covers the measured load window only, not Gatling's start-up or report.
     */
    private double throughput(ServiceProcess svc, Path dir, String phase, ProcessCpu cpu, LocalPgBouncer bouncer) {
        System.setProperty("storecap.baseUrl", svc.baseUrl());
        System.setProperty("storecap.concurrency", String.valueOf(connections));
        if (warmUp > 0) {
            System.setProperty("storecap.seconds", String.valueOf(warmUp));
            GatlingRunner.run(ThroughputSimulation.class, dir.resolveSibling(dir.getFileName() + "-warm-up"), "warm-up");
        }
        System.setProperty("storecap.seconds", String.valueOf(seconds));
        db.restoreSeed();
        Map<String, Map<String, Long>> snaps = new LinkedHashMap<>();
        ThroughputSimulation.onStart = () -> {
            snaps.put("start", cpu.snapshot());
            if (bouncer != null) snaps.put("wireStart", db.poolerStats());
        };
        ThroughputSimulation.onEnd = () -> {
            snaps.put("end", cpu.snapshot());
            if (bouncer != null) snaps.put("wireEnd", db.poolerStats());
        };
        try {
            GatlingRunner.run(ThroughputSimulation.class, dir, "throughput");
        } finally {
            ThroughputSimulation.onStart = () -> {};
            ThroughputSimulation.onEnd = () -> {};
        }
        double tps = ThroughputSimulation.okPerSecond();
        double window = (ThroughputSimulation.endNs - ThroughputSimulation.startNs) / 1e9;
        out.printf("  service %s: %.0f ok requests/s (%d of %d ok in %.1f s)%n", dir.getFileName(), tps,
                ThroughputSimulation.OK.get(), ThroughputSimulation.ALL.get(), window);
        if (snaps.containsKey("end")) figures.split(phase, snaps.get("start"), snaps.get("end"), ThroughputSimulation.OK.get());
        if (snaps.containsKey("wireEnd")) figures.wire(phase, snaps.get("wireStart"), snaps.get("wireEnd"), ThroughputSimulation.OK.get());
        return tps;
    }

    private double injection(ServiceProcess svc, double rate, Path dir) {
        System.setProperty("storecap.baseUrl", svc.baseUrl());
        System.setProperty("storecap.rate", String.valueOf(rate));
        System.setProperty("storecap.seconds", String.valueOf(Math.max(seconds, 20)));
        GatlingRunner.run(InjectionSimulation.class, dir, "injection");
        double expected = rate * Math.max(seconds, 20);
        double accuracy = InjectionSimulation.STARTED.get() / expected;
        out.printf("  injection at %.0f req/s: %d arrivals of %.0f planned (%.4f)%n", rate, InjectionSimulation.STARTED.get(), expected, accuracy);
        return accuracy;
    }
}

package io.storecap.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/** Synthetic run results with a known truth, for tests. */
final class Runs {
    private Runs() {}

    static final Tier FREE = new Tier("free", "Free", 100, 3, 0, 10000, 0, null);   // usable 97, pool 90
    static final Tier LAUNCH = new Tier("launch", "Launch", 200, 3, 0, 10000, 19, null);

    /** A level that held: given peak connections, fast, no errors, injector on target, CPU calm. */
    static Level level(int stores, double peak) { return new Level(stores, peak); }

    static final class Level {
        final int stores;
        final double peak;
        double p95 = 80, errorRate = 0, injection = 1.0, cpuMean = 0.4, cpuMax = 0.7, poolerClients = 0;
        Map<String, Long> refusals = Map.of();
        double warm = 0, active = 0;
        long count = 10_000;

        Level(int stores, double peak) { this.stores = stores; this.peak = peak; }

        Level refusals(long n) { refusals = Map.of("too_many_clients", n); return this; }
        Level p95(double ms) { p95 = ms; return this; }
        Level errors(double rate) { errorRate = rate; return this; }
        Level injection(double ratio) { injection = ratio; return this; }
        Level cpu(double mean, double max) { cpuMean = mean; cpuMax = max; return this; }
        Level warm(double w) { warm = w; return this; }
        Level requests(long n) { count = n; return this; }

        LevelResult build() {
            double target = stores * 0.05;
            long ko = Math.round(count * errorRate);
            RequestStats rs = new RequestStats(count, count - ko, ko, p95 / 2, p95 / 3, p95, p95 * 1.5, p95 * 3);
            return new LevelResult(stores, 0, 60_000, target, target * injection, rs, Map.of(),
                    new ConnectionStats(peak * 0.8, peak * 0.95, peak, 600), new ConnectionStats(active, active, active, 600),
                    new ConnectionStats(poolerClients, poolerClients, poolerClients, 600), ConnectionStats.EMPTY,
                    new ConnectionStats(warm, warm, warm, 600), refusals, 0, cpuMean, cpuMax);
        }
    }

    static RunResult run(String id, Tier tier, Route route, long finished, Level... levels) {
        List<LevelResult> ls = new ArrayList<>();
        List<Integer> stair = new ArrayList<>();
        for (Level l : levels) { ls.add(l.build()); if (!stair.contains(l.stores)) stair.add(l.stores); }
        stair.sort(null); // a search runs store counts in any order and repeats them; the config lists them once, sorted
        RunConfig cfg = new RunConfig(id, tier, route, ServiceMode.SERVERLESS, 5, 10, 250, stair, 60, 10, "local");
        return new RunResult(id + "-" + finished, cfg, new TrafficProfile("default", null, null, null, null, null, null, null, null), Map.of(), ls, null, null, null,
                finished - 1000, finished, List.of());
    }

    /** Levels with peak = f(stores) at each store count. */
    static Level[] levels(int[] stores, IntToDoubleFunction peak) {
        Level[] out = new Level[stores.length];
        for (int i = 0; i < stores.length; i++) out[i] = level(stores[i], peak.applyAsDouble(stores[i]));
        return out;
    }
}

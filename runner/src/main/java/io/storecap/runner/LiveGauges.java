package io.storecap.runner;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.storecap.environment.Sample;
import io.storecap.model.Route;
import io.storecap.simulations.IntervalLatency;
import io.storecap.simulations.LevelClock;
import io.storecap.simulations.LevelPlan;

import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The live metrics' names and what each reads. Gauges are callbacks on the run under way, so a
 * scrape shows the sampler's newest reading and the last closed latency interval, and nothing
 * between runs; the request and error counters grow as intervals close, for rate() in Prometheus.
 * Every series carries the run, its claim and its runtime as labels. docs/grafana's dashboard reads
 * these names (GrafanaDashboardTest checks it).
 */
final class LiveGauges {
    private static final String[] RUN = {"run", "claim", "runtime"};
    private static final Map<String, ToDoubleFunction<IntervalLatency.Stats>> QUANTILES = Map.of(
            "0.5", IntervalLatency.Stats::p50Ms, "0.95", IntervalLatency.Stats::p95Ms, "0.99", IntervalLatency.Stats::p99Ms);

    private final PrometheusRegistry registry;
    private final Supplier<LiveRun> current;
    private final Supplier<IntervalLatency.Interval> last;
    private final Counter requests;
    private final Counter errors;

    LiveGauges(PrometheusRegistry registry, Supplier<LiveRun> current, Supplier<IntervalLatency.Interval> last) {
        this.registry = registry;
        this.current = current;
        this.last = last;
        gauge("storecap_run_info", "The run under way (always 1), with its route and tier", labels("route", "tier"),
                (r, cb) -> cb.call(1, with(r, r.route().id(), r.tier().id())));
        database();
        service();
        level();
        latency();
        requests = Counter.builder().name("storecap_requests_total").help("Responses the injector received, by request kind")
                .labelNames(labels("kind")).register(registry);
        errors = Counter.builder().name("storecap_request_errors_total")
                .help("Responses with an unexpected status or none (timeouts), by request kind").labelNames(labels("kind")).register(registry);
    }

    private void database() {
        sampled("storecap_postgres_app_connections", "The app role's client backends in pg_stat_activity", r -> true, Sample::appBackends);
        sampled("storecap_postgres_app_connections_active", "The app role's backends in state 'active'", r -> true, Sample::appActive);
        sampled("storecap_postgres_app_connections_idle_in_transaction", "The app role's backends idle in a transaction",
                r -> true, Sample::appIdleInTx);
        sampled("storecap_postgres_client_backends", "Every client backend but the sampler's, all roles", r -> true, Sample::allBackends);
        gauge("storecap_postgres_usable_connections", "The tier's max_connections less its reserved slots: the app's limit", RUN,
                (r, cb) -> cb.call(r.tier().usableConnections(), with(r)));
        gauge("storecap_postgres_max_connections", "The tier's max_connections", RUN, (r, cb) -> cb.call(r.tier().maxConnections(), with(r)));
        Predicate<LiveRun> pooled = r -> r.route() == Route.POOLED;
        sampled("storecap_pgbouncer_clients_active", "PgBouncer clients linked to a server connection (SHOW POOLS cl_active)",
                pooled, Sample::clActive);
        sampled("storecap_pgbouncer_clients_waiting", "PgBouncer clients waiting for a server connection (cl_waiting)", pooled, Sample::clWaiting);
        sampled("storecap_pgbouncer_server_connections_active", "PgBouncer server connections in use (sv_active)", pooled, Sample::svActive);
        sampled("storecap_pgbouncer_server_connections_idle", "PgBouncer server connections idle (sv_idle)", pooled, Sample::svIdle);
        sampled("storecap_pgbouncer_max_wait_seconds", "The longest current client wait at PgBouncer", pooled, s -> s.maxWaitMs() / 1000);
        gauge("storecap_pgbouncer_pool_size", "The tier's PgBouncer pool size (server connections per pool)", RUN, (r, cb) -> {
            if (r.route() == Route.POOLED) cb.call(r.tier().poolerPoolSize(), with(r));
        });
        sampled("storecap_machine_cpu_ratio", "Machine CPU in use since the previous reading, 0..1", r -> true, Sample::cpu);
    }

    private void service() {
        Predicate<LiveRun> known = r -> r.latest().get() != null && r.latest().get().warmInstances() >= 0;
        sampled("storecap_service_warm_instances", "The service's live function instances", known, Sample::warmInstances);
        sampled("storecap_service_busy_instances", "Function instances serving a request", known, Sample::busyInstances);
        sampled("storecap_service_inflight_requests", "Requests inside the service", known, Sample::inflight);
        CounterWithCallback.builder().name("storecap_service_cold_starts_total").help("Function instances started cold")
                .labelNames(RUN).callback(cb -> withSample(known, (r, s) -> cb.call(s.coldStarts(), with(r)))).register(registry);
        CounterWithCallback.builder().name("storecap_service_refusals_total").help("Requests the service failed, by cause (e.g. 53300 too many connections)")
                .labelNames(labels("cause")).callback(cb -> withSample(r -> true,
                        (r, s) -> s.refusals().forEach((cause, n) -> cb.call(n, with(r, cause))))).register(registry);
    }

    private void level() {
        levelGauge("storecap_level_stores", "Stores of the level under way", (p, r) -> p.stores());
        levelGauge("storecap_level_target_rps", "The level's production-equivalent arrival rate (requests/s)",
                (p, r) -> r.targetRps().applyAsDouble(p.stores()));
        levelGauge("storecap_level_injected_rps", "The arrival rate the injector sends (the target over the time scale)",
                (p, r) -> r.targetRps().applyAsDouble(p.stores()) / p.timeScale());
        levelGauge("storecap_level_time_scale", "The level's time scale k: every emulated duration times k", (p, r) -> p.timeScale());
    }

    private void latency() {
        interval("storecap_interval_latency_seconds", "Response time percentiles of the last closed interval, by kind ('all' merges them)",
                labels("kind", "quantile"), (k, s, i, r, cb) -> QUANTILES.forEach((q, f) -> cb.call(f.applyAsDouble(s) / 1000, with(r, k, q))));
        interval("storecap_interval_requests", "Responses in the last closed interval, by kind", labels("kind"),
                (k, s, i, r, cb) -> cb.call(s.requests(), with(r, k)));
        interval("storecap_interval_errors", "Failed responses in the last closed interval, by kind", labels("kind"),
                (k, s, i, r, cb) -> cb.call(s.errors(), with(r, k)));
        gauge("storecap_interval_seconds", "Length of the last closed latency interval", RUN, (r, cb) -> {
            IntervalLatency.Interval i = last.get();
            if (i != null) cb.call(i.seconds(), with(r));
        });
    }

    /** Adds a closed interval's responses to the counters (each kind; 'all' would count them twice). */
    void count(LiveRun r, IntervalLatency.Interval i) {
        i.byKind().forEach((kind, s) -> {
            if (kind.equals(IntervalLatency.ALL)) return;
            requests.labelValues(with(r, kind)).inc(s.requests());
            errors.labelValues(with(r, kind)).inc(s.errors());
        });
    }

    private interface RunCallback { void read(LiveRun r, GaugeWithCallback.Callback cb); }

    private interface IntervalCallback {
        void read(String kind, IntervalLatency.Stats s, IntervalLatency.Interval i, LiveRun r, GaugeWithCallback.Callback cb);
    }

    private void gauge(String name, String help, String[] labelNames, RunCallback read) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(labelNames).callback(cb -> {
            LiveRun r = current.get();
            if (r != null) read.read(r, cb);
        }).register(registry);
    }

    private void sampled(String name, String help, Predicate<LiveRun> when, ToDoubleFunction<Sample> value) {
        gauge(name, help, RUN, (r, cb) -> withSample(when, (x, s) -> cb.call(value.applyAsDouble(s), with(x))));
    }

    private void withSample(Predicate<LiveRun> when, java.util.function.BiConsumer<LiveRun, Sample> read) {
        LiveRun r = current.get();
        Sample s = r == null ? null : r.latest().get();
        if (s != null && when.test(r)) read.accept(r, s);
    }

    private void levelGauge(String name, String help, java.util.function.ToDoubleBiFunction<LevelPlan, LiveRun> value) {
        gauge(name, help, labels("phase"), (r, cb) -> {
            LevelClock c = r.clock().get();
            if (c == null || c.t0() == 0) return;
            LevelPlan p = c.plan(c.index(System.currentTimeMillis()));
            cb.call(value.applyAsDouble(p, r), with(r, p.phase()));
        });
    }

    private void interval(String name, String help, String[] labelNames, IntervalCallback read) {
        gauge(name, help, labelNames, (r, cb) -> {
            IntervalLatency.Interval i = last.get();
            if (i != null) i.byKind().forEach((k, s) -> read.read(k, s, i, r, cb));
        });
    }

    private static String[] labels(String... more) {
        String[] all = java.util.Arrays.copyOf(RUN, RUN.length + more.length);
        System.arraycopy(more, 0, all, RUN.length, more.length);
        return all;
    }

    private static String[] with(LiveRun r, String... more) {
        String[] all = java.util.Arrays.copyOf(new String[]{r.run(), r.claim(), r.runtime()}, RUN.length + more.length);
        System.arraycopy(more, 0, all, RUN.length, more.length);
        return all;
    }
}

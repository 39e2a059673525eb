package io.storecap.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counters the service exposes at GET /metrics. Monotonic counters only grow, so a sampler can
 * difference two readings to get what happened between them.
 */
public final class Metrics {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    final LongAdder coldStarts = new LongAdder();
    /** time function instances spent starting (the cold-start delay as slept), emulated ns */
    final LongAdder coldStartNanos = new LongAdder();
    /** time function instances were busy (at least one request in flight, cold starts included), emulated ns */
    final LongAdder instanceBusyNanos = new LongAdder();
    /** requests function instances finished */
    final LongAdder instanceRequests = new LongAdder();
    final LongAdder instancesReclaimed = new LongAdder();
    /** deploys that retired every function instance (POST /internal/deploy or --deploys-per-hour) */
    final LongAdder deploys = new LongAdder();
    /** connects that found a scaled-to-zero compute and woke it (--compute-wake-ms) */
    final LongAdder computeWakes = new LongAdder();
    /** --accelerate: HTTP round trips to Accelerate's pool, and the statements sent through it */
    final LongAdder accelerateHops = new LongAdder();
    final LongAdder accelerateQueries = new LongAdder();
    final LongAdder connectionsOpened = new LongAdder();
    final LongAdder connectionsClosed = new LongAdder();
    final LongAdder webhooksReceived = new LongAdder();
    final LongAdder webhooksStored = new LongAdder();
    final LongAdder webhooksDuplicate = new LongAdder();
    final LongAdder webhooksRejected = new LongAdder();
    final LongAdder connectionsBorrowed = new LongAdder();
    final LongAdder webhooksProcessed = new LongAdder();
    final LongAdder webhooksDeadLettered = new LongAdder();
    final LongAdder webhookWorkerErrors = new LongAdder();
    final DelayStats webhookDelay = new DelayStats(4096);
    final LongAdder cacheHits = new LongAdder();
    final LongAdder cacheMisses = new LongAdder();
    final LongAdder cacheErrors = new LongAdder();
    final LongAdder cacheBypassed = new LongAdder();
    final LongAdder clientsCreated = new LongAdder();
    final LongAdder leakedConnections = new LongAdder();
    final AtomicLong leakedNow = new AtomicLong();
    final LongAdder externalCallsInTx = new LongAdder();
    final LongAdder fanOutQueries = new LongAdder();
    /** dashboard loads answered, by the most connections each held at once (0: from the cache) */
    private final Map<Integer, LongAdder> dashboardHeld = new ConcurrentHashMap<>();
    final AtomicLong inflight = new AtomicLong();
    final AtomicLong maxInflight = new AtomicLong();
    private volatile LongSupplier warmInstances = () -> 0;
    private volatile LongSupplier busyInstances = () -> 0;
    private volatile LongSupplier openConnections = () -> 0;
    private volatile LongSupplier zombieConnections = () -> 0;
    private volatile LongSupplier queueDepth = () -> 0;
    private volatile LongSupplier workerConnections = () -> 0;
    private final long startedMs = System.currentTimeMillis();
    private volatile double timeScale = 1;

    void timeScale(double k) { timeScale = k; }

    void gauges(LongSupplier warm, LongSupplier busy, LongSupplier open) {
        this.warmInstances = warm;
        this.busyInstances = busy;
        this.openConnections = open;
    }

    /** Connections of reclaimed or retired instances that Postgres still holds (--zombie-hold-ms). */
    void zombieGauge(LongSupplier zombies) { this.zombieConnections = zombies; }

    void queueGauges(LongSupplier depth, LongSupplier connections) {
        this.queueDepth = depth;
        this.workerConnections = connections;
    }

    void request(String route) { requests.computeIfAbsent(route, k -> new LongAdder()).increment(); }

    void failure(Failure f) { failures.computeIfAbsent(f.id, k -> new LongAdder()).increment(); }

    void enter() {
        long now = inflight.incrementAndGet();
        maxInflight.accumulateAndGet(now, Math::max);
    }

    void exit() { inflight.decrementAndGet(); }

    /** A dashboard load answered while holding at most {@code connections} connections at once. */
    void dashboardLoad(int connections) { dashboardHeld.computeIfAbsent(connections, k -> new LongAdder()).increment(); }

    public long failures(Failure f) {
        LongAdder a = failures.get(f.id);
        return a == null ? 0 : a.sum();
    }

    /** A snapshot for JSON: gauges now, counters since start. */
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uptimeMs", System.currentTimeMillis() - startedMs);
        m.put("timeScale", timeScale);
        m.put("warmInstances", warmInstances.getAsLong());
        m.put("busyInstances", busyInstances.getAsLong());
        m.put("openConnections", openConnections.getAsLong());
        m.put("zombieConnections", zombieConnections.getAsLong());
        m.put("inflight", inflight.get());
        m.put("maxInflight", maxInflight.get());
        m.put("coldStarts", coldStarts.sum());
        // emulated microseconds: the sampler differences them per level and divides by k
        m.put("coldStartMicros", coldStartNanos.sum() / 1000);
        m.put("instanceBusyMicros", instanceBusyNanos.sum() / 1000);
        m.put("instanceRequests", instanceRequests.sum());
        m.put("instancesReclaimed", instancesReclaimed.sum());
        m.put("deploys", deploys.sum());
        m.put("computeWakes", computeWakes.sum());
        m.put("accelerateHops", accelerateHops.sum());
        m.put("accelerateQueries", accelerateQueries.sum());
        m.put("connectionsOpened", connectionsOpened.sum());
        m.put("connectionsClosed", connectionsClosed.sum());
        m.put("connectionsBorrowed", connectionsBorrowed.sum());
        m.put("workerConnections", workerConnections.getAsLong());
        Map<String, Long> f = new LinkedHashMap<>();
        for (Failure x : Failure.values()) f.put(x.id, failures(x));
        m.put("refusals", f);
        Map<String, Long> r = new java.util.TreeMap<>();
        requests.forEach((k, v) -> r.put(k, v.sum()));
        m.put("requests", r);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("received", webhooksReceived.sum());
        w.put("stored", webhooksStored.sum());
        w.put("duplicate", webhooksDuplicate.sum());
        w.put("rejected", webhooksRejected.sum());
        w.put("processed", webhooksProcessed.sum());
        w.put("queueDepth", Math.max(0, queueDepth.getAsLong()));
        w.put("deadLettered", webhooksDeadLettered.sum());
        w.put("workerErrors", webhookWorkerErrors.sum());
        DelayStats.Summary d = webhookDelay.summary();
        w.put("delayCount", d.count());
        w.put("delayP50Ms", d.p50Ms());
        w.put("delayP99Ms", d.p99Ms());
        w.put("delayMaxMs", d.maxMs());
        m.put("webhooks", w);
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("hits", cacheHits.sum());
        c.put("misses", cacheMisses.sum());
        c.put("errors", cacheErrors.sum());
        c.put("bypassed", cacheBypassed.sum());
        m.put("dashboardCache", c);
        Map<String, Long> held = new java.util.TreeMap<>();
        dashboardHeld.forEach((k, v) -> held.put(String.valueOf(k), v.sum()));
        m.put("dashboardConnections", held);
        Map<String, Long> p = new LinkedHashMap<>();
        p.put("clientsCreated", clientsCreated.sum());
        p.put("leakedConnections", leakedConnections.sum());
        p.put("leakedNow", leakedNow.get());
        p.put("externalCallsInTx", externalCallsInTx.sum());
        p.put("fanOutQueries", fanOutQueries.sum());
        m.put("patterns", p);
        return m;
    }
}

package io.storecap.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Emulated serverless function instances (Vercel + Prisma). A request is served by a warm
 * instance with spare concurrency if there is one (the most recently used first, as a platform
 * keeps the hottest instance busy); otherwise a new instance is cold started. Each instance owns
 * a {@link LazyPool}, so connections follow warm instances. An instance idle for longer than the
 * TTL is reclaimed and its connections closed, as when the platform freezes and recycles it.
 */
final class InstancePool implements AutoCloseable {

    /** One emulated function instance. */
    static final class Instance {
        final long id;
        final LazyPool pool;
        /** client-per-request: the clients its requests built and never disconnected. */
        final List<LazyPool> leakedClients = new ArrayList<>();
        int inflight;
        long lastUsedMs;
        boolean started;
        /** dropped by {@link #retireAll} while serving: closed when its last request ends */
        boolean retired;

        Instance(long id, LazyPool pool) {
            this.id = id;
            this.pool = pool;
        }
    }

    private final ServiceConfig cfg;
    private final Metrics metrics;
    private final Properties props;
    private final Deque<Instance> instances = new ArrayDeque<>(); // most recently used first
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledExecutorService reaper;

    private final TimeScale scale;

    InstancePool(ServiceConfig cfg, Properties props, Metrics metrics, TimeScale scale) {
        this.cfg = cfg;
        this.scale = scale;
        this.props = props;
        this.metrics = metrics;
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "instance-reaper");
            t.setDaemon(true);
            return t;
        });
        // a short fixed period: the TTL moves with the time scale, and a reaping pass over a few
        // hundred instances costs microseconds
        reaper.scheduleAtFixedRate(this::reap, 10, 10, TimeUnit.MILLISECONDS);
        metrics.gauges(this::warm, this::busy, this::openConnections);
    }

    /** Takes an instance for one request, cold starting one when none has spare concurrency. */
    Instance acquire() throws InterruptedException {
        Instance chosen = null;
        boolean cold = false;
        synchronized (this) {
            for (Instance i : instances) {
                if (i.started && i.inflight < cfg.instanceConcurrency()) {
                    chosen = i;
                    break;
                }
            }
            if (chosen == null) {
                if (instances.size() >= cfg.maxInstances())
                    throw new Failure.InstanceLimitException("all " + cfg.maxInstances() + " function instances are busy");
                chosen = new Instance(ids.incrementAndGet(), newPool());
                cold = true;
            } else {
                instances.remove(chosen);
            }
            chosen.inflight++;
            instances.addFirst(chosen);
        }
        if (cold) {
            metrics.coldStarts.increment();
            if (cfg.coldStartMs() > 0) Thread.sleep(scale.ms(cfg.coldStartMs()));
            synchronized (this) {
                chosen.started = true;
            }
        }
        return chosen;
    }

    /** A Prisma-like pool as the instance's code builds it: the effective URL and connection_limit. */
    private LazyPool newPool() {
        return new LazyPool(cfg.effectiveJdbcUrl(), props, cfg.effectiveConnectionLimit(), cfg.poolTimeoutMs(),
                cfg.dbLatencyMs(), scale, metrics);
    }

    /**
     * client-per-request: a new client (a new pool) built inside the handler. Nobody calls
     * $disconnect(), so it stays referenced by the instance's module scope and keeps its
     * connections until the instance is reclaimed.
     */
    LazyPool newRequestClient(Instance i) {
        LazyPool p = newPool();
        synchronized (this) {
            i.leakedClients.add(p);
        }
        metrics.clientsCreated.increment();
        return p;
    }

    void release(Instance i) {
        boolean close;
        synchronized (this) {
            i.inflight--;
            i.lastUsedMs = System.currentTimeMillis();
            close = i.retired && i.inflight == 0;
        }
        if (close) {
            closeAll(i);
            return;
        }
        // keep-alive off: no attachDatabasePool, so the pool is emptied once the response is sent
        if (!cfg.keepAlive()) i.pool.closeIdle();
    }

    private void reap() {
        List<Instance> dead = new ArrayList<>();
        long cutoff = System.currentTimeMillis() - scale.ms(scale.idleTtlMs(cfg.idleTtlMs()));
        synchronized (this) {
            for (Iterator<Instance> it = instances.iterator(); it.hasNext(); ) {
                Instance i = it.next();
                if (i.started && i.inflight == 0 && i.lastUsedMs < cutoff) {
                    it.remove();
                    dead.add(i);
                }
            }
        }
        for (Instance i : dead) {
            closeAll(i);
            metrics.instancesReclaimed.increment();
        }
    }

    /**
     * Retires every instance at once and closes its connections (a time-scale change starts the
     * next level from nothing, as a deploy would). Busy instances finish their request first: they
     * are dropped from the pool now and closed by the caller of release.
     */
    void retireAll() {
        List<Instance> idle = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Instance> it = instances.iterator(); it.hasNext(); ) {
                Instance i = it.next();
                it.remove();
                if (i.inflight == 0) idle.add(i);
                else i.retired = true;
            }
        }
        idle.forEach(this::closeAll);
    }

    synchronized long warm() { return instances.size(); }

    synchronized long busy() { return instances.stream().filter(i -> i.inflight > 0).count(); }

    synchronized long openConnections() {
        return instances.stream().mapToLong(i -> i.pool.openConnections()
                + i.leakedClients.stream().mapToLong(LazyPool::openConnections).sum()).sum();
    }

    private void closeAll(Instance i) {
        i.pool.close();
        List<LazyPool> clients;
        synchronized (this) {
            clients = new ArrayList<>(i.leakedClients);
        }
        clients.forEach(LazyPool::close);
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        List<Instance> all;
        synchronized (this) {
            all = new ArrayList<>(instances);
            instances.clear();
        }
        all.forEach(this::closeAll);
    }
}

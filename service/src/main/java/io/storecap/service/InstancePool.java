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
 * instance with spare concurrency if there is one ({@link Dispatch}: by default the most recently
 * used first, as a platform keeps the hottest instance busy); otherwise a new instance is cold
 * started. Each instance owns a {@link FunctionPool} (Prisma 6's {@link LazyPool} or Prisma 7's
 * {@link PgPool}), so connections follow warm instances. An instance idle for longer than the TTL
 * is reclaimed and its connections closed, as when the platform freezes and recycles it, or, with
 * a zombie hold, left open on Postgres for that long ({@link Zombies}). A deploy retires every
 * instance at once. The runtime's settings are {@link RuntimeSettings}. With {@code --accelerate=on}
 * the instances hold no connections: their queries go to one shared {@link AcceleratePool}.
 */
final class InstancePool implements AutoCloseable {

    /** One emulated function instance. */
    static final class Instance {
        final long id;
        /** awake time, for the pools' timers (an instance is frozen between requests) */
        final AwakeClock clock;
        final FunctionPool pool;
        /** client-per-request: the clients its requests built and never disconnected. */
        final List<FunctionPool> leakedClients = new ArrayList<>();
        int inflight;
        long lastUsedMs;
        /** when it last went from idle to busy (System.nanoTime), for the busy time in /metrics */
        long busySinceNanos;
        boolean started;
        /** dropped by {@link #retireAll} or a deploy while serving: closed when its last request ends */
        boolean retired;
        /** retired by a deploy: its connections follow the zombie hold */
        boolean deployed;

        Instance(long id, AwakeClock clock, java.util.function.Function<AwakeClock, FunctionPool> pools) {
            this.id = id;
            this.clock = clock;
            this.pool = pools.apply(clock);
        }
    }

    private final ServiceConfig cfg;
    private final Metrics metrics;
    private final Properties props;
    private final Deque<Instance> instances = new ArrayDeque<>(); // most recently used first
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledExecutorService reaper;
    private final Dispatch dispatch;
    private final Connector connector;
    private final Zombies zombies;
    /** --accelerate: the managed pool every instance's queries go through; null when off */
    private final AcceleratePool accelerate;

    private final TimeScale scale;

    /** application_name of every connection a function instance opens. */
    static final String FUNCTION_APPLICATION_NAME = "storecap-fn";

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
        RuntimeSettings rt = cfg.runtime();
        dispatch = new Dispatch(rt.dispatch(), rt.dispatchSeed());
        // the instances' own application_name, so the sampler can tell their backends in
        // pg_stat_activity from the webhook workers' and the dashboard's (measured, not fitted)
        Properties fnProps = new Properties();
        fnProps.putAll(props);
        fnProps.setProperty("ApplicationName", FUNCTION_APPLICATION_NAME);
        connector = Connector.of(cfg, fnProps, scale, metrics);
        accelerate = cfg.accelerate().enabled() ? new AcceleratePool(cfg, props, scale, metrics) : null;
        zombies = new Zombies(reaper, scale, metrics);
        metrics.zombieGauge(zombies::count);
        if (rt.deploysPerHour() > 0) scheduleDeploy();
    }

    /** Takes an instance for one request, cold starting one when none has spare concurrency. */
    Instance acquire() throws InterruptedException {
        Instance chosen = null;
        boolean cold = false;
        synchronized (this) {
            chosen = dispatch.pick(instances, i -> i.started && i.inflight < cfg.instanceConcurrency());
            if (chosen == null) {
                if (instances.size() >= cfg.maxInstances())
                    throw new Failure.InstanceLimitException("all " + cfg.maxInstances() + " function instances are busy");
                chosen = new Instance(ids.incrementAndGet(), new AwakeClock(System.currentTimeMillis()), this::newPool);
                cold = true;
            } else {
                instances.remove(chosen);
            }
            if (chosen.inflight++ == 0) chosen.busySinceNanos = System.nanoTime();
            chosen.clock.enter(System.currentTimeMillis());
            instances.addFirst(chosen);
        }
        if (cold) {
            metrics.coldStarts.increment();
            long t0 = System.nanoTime();
            if (cfg.coldStartMs() > 0) Thread.sleep(scale.ms(cfg.coldStartMs()));
            metrics.coldStartNanos.add(System.nanoTime() - t0);
            synchronized (this) {
                chosen.started = true;
            }
        }
        return chosen;
    }

    /**
     * A pool as the instance's code builds it: Prisma 6's (the effective URL and connection_limit)
     * or Prisma 7's pg Pool, opening connections at the runtime's connect cost.
     */
    private FunctionPool newPool(AwakeClock clock) {
        if (accelerate != null) return accelerate.view();
        if (cfg.runtime().pool() == RuntimeSettings.Pool.PRISMA7) return new PgPool(connector, clock, scale, metrics);
        return new LazyPool(connector, cfg.effectiveConnectionLimit(), cfg.poolTimeoutMs(), scale, metrics);
    }

    /**
     * client-per-request: a new client (a new pool) built inside the handler. Nobody calls
     * $disconnect(), so it stays referenced by the instance's module scope and keeps its
     * connections until the instance is reclaimed.
     */
    FunctionPool newRequestClient(Instance i) {
        FunctionPool p = newPool(i.clock);
        synchronized (this) {
            i.leakedClients.add(p);
        }
        metrics.clientsCreated.increment();
        return p;
    }

    void release(Instance i) {
        boolean close;
        synchronized (this) {
            if (--i.inflight == 0) metrics.instanceBusyNanos.add(System.nanoTime() - i.busySinceNanos);
            metrics.instanceRequests.increment();
            i.lastUsedMs = System.currentTimeMillis();
            // attachDatabasePool: waitUntil keeps the instance awake for the pool's idle timeout + 100 ms
            i.clock.exit(i.lastUsedMs, cfg.runtime().attachDatabasePool() ? scale.ms(PgPool.IDLE_TIMEOUT_MS + 100) : 0);
            close = i.retired && i.inflight == 0;
        }
        if (close) {
            if (i.deployed) bury(i);
            else closeAll(i);
            return;
        }
        // keep-alive off: no attachDatabasePool, so the pool is emptied once the response is sent
        if (!cfg.keepAlive()) i.pool.closeIdle();
    }

    private void reap() {
        List<Instance> dead = new ArrayList<>();
        List<Instance> live;
        long now = System.currentTimeMillis();
        long cutoff = now - scale.ms(scale.idleTtlMs(cfg.idleTtlMs()));
        synchronized (this) {
            for (Iterator<Instance> it = instances.iterator(); it.hasNext(); ) {
                Instance i = it.next();
                // idle from the end of any waitUntil (attachDatabasePool), else from its last request
                if (i.started && i.inflight == 0 && Math.max(i.lastUsedMs, i.clock.keptUntilMs()) < cutoff) {
                    it.remove();
                    dead.add(i);
                }
            }
            live = new ArrayList<>(instances);
        }
        for (Instance i : dead) {
            bury(i);
            metrics.instancesReclaimed.increment();
        }
        for (Instance i : live) {
            i.pool.tick(now);
            for (FunctionPool p : clients(i)) p.tick(now);
        }
    }

    /**
     * Retires every instance at once and closes its connections, and any zombie's (a time-scale
     * change starts the next level from nothing). Busy instances finish their request first: they
     * are dropped from the pool now and closed by the caller of release.
     */
    void retireAll() {
        retire(false).forEach(this::closeAll);
        zombies.closeAll();
    }

    /**
     * A deploy: every instance is retired at once, as {@link #retireAll} does, but their
     * connections follow the zombie hold (the old microVMs are reclaimed, their backends linger);
     * the next requests cold start new instances.
     */
    void deploy() {
        retire(true).forEach(this::bury);
        metrics.deploys.increment();
    }

    /** Drops every instance; returns the idle ones, marks the busy ones for release to close. */
    private List<Instance> retire(boolean deploy) {
        List<Instance> idle = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Instance> it = instances.iterator(); it.hasNext(); ) {
                Instance i = it.next();
                it.remove();
                if (i.inflight == 0) {
                    idle.add(i);
                } else {
                    i.retired = true;
                    i.deployed = deploy;
                }
            }
        }
        return idle;
    }

    /** --deploys-per-hour: the next deploy one period (3600 / N s, time-scaled now) from now. */
    private void scheduleDeploy() {
        long periodMs = Math.max(1, scale.ms(3_600_000 / cfg.runtime().deploysPerHour()));
        try {
            reaper.schedule(() -> {
                try {
                    deploy();
                } finally {
                    scheduleDeploy();
                }
            }, periodMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // the service is closing: no more deploys
        }
    }

    synchronized long warm() { return instances.size(); }

    synchronized long busy() { return instances.stream().filter(i -> i.inflight > 0).count(); }

    synchronized long openConnections() {
        return (accelerate == null ? 0 : accelerate.openConnections()) + instances.stream().mapToLong(i -> i.pool.openConnections()
                + i.leakedClients.stream().mapToLong(FunctionPool::openConnections).sum()).sum();
    }

    private synchronized List<FunctionPool> clients(Instance i) { return new ArrayList<>(i.leakedClients); }

    private void closeAll(Instance i) {
        i.pool.close();
        clients(i).forEach(FunctionPool::close);
    }

    /** Reclaimed or retired by a deploy: the connections stay open on Postgres for the zombie hold. */
    private void bury(Instance i) {
        long hold = cfg.runtime().zombieHoldMs();
        if (hold <= 0) {
            closeAll(i);
            return;
        }
        zombies.hold(i.pool.detach(), hold);
        for (FunctionPool p : clients(i)) zombies.hold(p.detach(), hold);
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
        zombies.closeAll();
        if (accelerate != null) accelerate.close();
    }
}

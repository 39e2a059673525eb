package io.storecap.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Connections of reclaimed or retired function instances that Postgres still holds open
 * ({@code --zombie-hold-ms}, see {@link RuntimeSettings}): the microVM is gone, but nothing closed
 * its sockets, so each backend keeps its slot (and shows in pg_stat_activity) until the hold ends,
 * as when a TCP keepalive or idle_session_timeout finally notices. Shown as
 * {@code zombieConnections} in /metrics; each counts in {@code connectionsClosed} when it closes.
 */
final class Zombies implements AutoCloseable {
    /** by identity: a delayed connection is a proxy whose equals() is its target's */
    private final Set<Connection> held = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final ScheduledExecutorService timer;
    private final TimeScale scale;
    private final Metrics metrics;

    Zombies(ScheduledExecutorService timer, TimeScale scale, Metrics metrics) {
        this.timer = timer;
        this.scale = scale;
        this.metrics = metrics;
    }

    /** Keeps the connections open for {@code holdMs} (production ms, scaled), then closes them; 0 closes them now. */
    void hold(List<Connection> connections, long holdMs) {
        if (connections.isEmpty()) return;
        if (holdMs <= 0) {
            connections.forEach(this::closeNow);
            return;
        }
        held.addAll(connections);
        try {
            timer.schedule(() -> connections.forEach(this::release), scale.ms(holdMs), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            connections.forEach(this::release); // the service is closing
        }
    }

    long count() { return held.size(); }

    /** Closes every zombie now (a time-scale change or shutdown starts from nothing). */
    void closeAll() {
        List<Connection> all;
        synchronized (held) {
            all = new ArrayList<>(held);
        }
        all.forEach(this::release);
    }

    private void release(Connection c) {
        if (held.remove(c)) closeNow(c);
    }

    private void closeNow(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the backend is gone already
        }
        metrics.connectionsClosed.increment();
    }

    @Override
    public void close() { closeAll(); }
}

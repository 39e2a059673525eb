package io.storecap.simulations;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a harness and the Gatling simulation it started in the same JVM share about one run: the
 * level clock once the load has started, and the signal to stop early. Gatling constructs the
 * simulation itself, so the harness opens a control, passes its id as {@code storecap.control},
 * and the simulation looks it up; a simulation started on its own (mvn gatling:test) gets a
 * private one. One control per run, so nothing of one run leaks into the next.
 */
public final class LoadControl implements AutoCloseable {
    /** The system property that names the run's control. */
    public static final String PROPERTY = "storecap.control";

    private static final Map<String, LoadControl> OPEN = new ConcurrentHashMap<>();

    private final String id;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong stoppedAt = new AtomicLong();
    private volatile LevelClock clock;
    private final IntervalLatency intervals = new IntervalLatency();

    private LoadControl(String id) { this.id = id; }

    /** A new control for one run, found by {@link #of(String)} until closed. */
    public static LoadControl open() {
        LoadControl c = new LoadControl(UUID.randomUUID().toString());
        OPEN.put(c.id, c);
        return c;
    }

    /** The control with this id; a private one when the id is null or blank (a simulation run on its own). */
    public static LoadControl of(String id) {
        if (id == null || id.isBlank()) return new LoadControl("standalone");
        LoadControl c = OPEN.get(id);
        if (c == null) throw new IllegalStateException(PROPERTY + "=" + id + " names no open run (closed already?)");
        return c;
    }

    public String id() { return id; }

    /** Ends the load now (a level has clearly failed); the level ends at this moment. */
    public void stopNow() {
        stoppedAt.compareAndSet(0, System.currentTimeMillis());
        stop.set(true);
    }

    /** Whether {@link #stopNow()} was called. */
    public boolean stopped() { return stop.get(); }

    /** When the load was stopped (epoch ms), 0 when it was not. */
    public long stoppedAt() { return stoppedAt.get(); }

    /** The running simulation's level clock; null before it starts and after it ends. */
    public LevelClock clock() { return clock; }

    /** The responses of the interval under way, per request kind (closed by whoever publishes them). */
    public IntervalLatency intervals() { return intervals; }

    /** Called by the simulation as its load starts. */
    void started(LevelClock c) {
        stop.set(false);
        stoppedAt.set(0);
        clock = c;
    }

    /** Called by the simulation as its load ends. */
    void ended() { clock = null; }

    @Override
    public void close() { OPEN.remove(id); }
}

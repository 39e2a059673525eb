package io.storecap.simulations;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which level a request belongs to, from the time it starts: level i runs from {@code t0 +
 * start(i)} for {@code plan(i).millis()}. Counts the requests started per level, so the achieved
 * arrival rate can be compared with the target (is the injector keeping up?).
 */
public final class LevelClock {
    private final List<LevelPlan> plan;
    private final long[] starts;
    private final long totalMs;
    private final AtomicLongArray started;
    private volatile long t0;

    public LevelClock(List<LevelPlan> plan) {
        if (plan.isEmpty()) throw new IllegalArgumentException("a level clock needs at least one level");
        this.plan = List.copyOf(plan);
        this.starts = new long[plan.size()];
        long t = 0;
        for (int i = 0; i < plan.size(); i++) {
            starts[i] = t;
            t += plan.get(i).millis();
        }
        this.totalMs = t;
        this.started = new AtomicLongArray(plan.size());
    }

    public void start(long epochMs) { this.t0 = epochMs; }

    public long t0() { return t0; }

    public int size() { return plan.size(); }

    public LevelPlan plan(int i) { return plan.get(i); }

    public List<LevelPlan> plan() { return plan; }

    /** Offset of level i's start from t0, in ms. */
    public long startMs(int i) { return starts[i]; }

    /** Offset of level i's end from t0, in ms. */
    public long endMs(int i) { return starts[i] + plan.get(i).millis(); }

    public long totalMs() { return totalMs; }

    /** The level index at a moment, clamped to the plan. */
    public int index(long epochMs) {
        if (t0 == 0) return 0;
        long dt = epochMs - t0;
        int i = 0;
        while (i < starts.length - 1 && dt >= starts[i + 1]) i++;
        return i;
    }

    /** Records a request starting now; returns its level index. */
    public int mark(long epochMs) {
        int i = index(epochMs);
        started.incrementAndGet(i);
        return i;
    }

    public long started(int index) { return started.get(index); }

    /** The group name Gatling reports a level's requests under, e.g. "L03-00250" (index and stores: replicates repeat a store count). */
    public static String groupName(int index, int stores) { return String.format(Locale.ROOT, "L%02d-%05d", index, stores); }
}

package io.storecap.simulations;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which step of the stair a request belongs to, from the time it starts: level i runs from
 * {@code t0 + i * levelMs} for {@code levelMs}. Counts the requests started per level, so the
 * achieved arrival rate can be compared with the target (is the injector keeping up?).
 */
public final class LevelClock {
    private final List<Integer> levels;
    private final long levelMs;
    private final AtomicLongArray started;
    private volatile long t0;

    public LevelClock(List<Integer> levels, long levelMs) {
        this.levels = List.copyOf(levels);
        this.levelMs = levelMs;
        this.started = new AtomicLongArray(levels.size());
    }

    public void start(long epochMs) { this.t0 = epochMs; }

    public long t0() { return t0; }

    public long levelMs() { return levelMs; }

    public List<Integer> levels() { return levels; }

    /** The level index at a moment, clamped to the stair. */
    public int index(long epochMs) {
        if (t0 == 0) return 0;
        long i = (epochMs - t0) / levelMs;
        return (int) Math.max(0, Math.min(levels.size() - 1, i));
    }

    /** Records a request starting now; returns its level index. */
    public int mark(long epochMs) {
        int i = index(epochMs);
        started.incrementAndGet(i);
        return i;
    }

    public long started(int index) { return started.get(index); }

    /** The group name Gatling reports a level's requests under, e.g. "L00250". */
    public static String groupName(int stores) { return String.format(Locale.ROOT, "L%05d", stores); }
}

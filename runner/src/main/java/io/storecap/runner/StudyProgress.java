package io.storecap.runner;

import java.util.Locale;

/**
 * The study's estimate of its remaining time: levels done against levels expected (a knee search
 * runs about {@link #LEVELS_PER_SEARCH} levels; a fixed stair its ladder), at the mean wall time
 * per level so far, or the planned emulated seconds before the first level ends.
 */
final class StudyProgress {
    /** Ramp, bisection to 10 % and the replicates: what a search typically runs. */
    static final int LEVELS_PER_SEARCH = 13;

    private final long started = System.currentTimeMillis();
    private final int expectedLevels;
    private final double plannedSeconds;
    private int done;

    StudyProgress(int expectedLevels, double plannedSeconds) {
        this.expectedLevels = Math.max(1, expectedLevels);
        this.plannedSeconds = plannedSeconds;
    }

    synchronized void levelDone() { done++; }

    /** "ETA 6 min (9/40 levels)". */
    synchronized String eta() {
        double elapsed = (System.currentTimeMillis() - started) / 1000.0;
        double total = done == 0 ? plannedSeconds : elapsed / done * Math.max(expectedLevels, done + 1);
        return String.format(Locale.ROOT, "ETA %.0f min (%d/~%d levels)", Math.max(0, total - elapsed) / 60, done, Math.max(expectedLevels, done + 1));
    }
}

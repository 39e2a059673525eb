package io.storecap.service;

/**
 * How long a function instance has been awake, in ms: the time that counts for its timers. Vercel
 * suspends an instance between requests, and a suspended process's timers do not advance (so a pg
 * Pool's 10 s idle timeout needs 10 s of awake time: Vercel, "The real serverless compute to database
 * connection problem, solved"), so a pool's idle timer measures this clock, not the wall clock. An instance is awake while it serves a request and, when a
 * request asked for it ({@code waitUntil}, as attachDatabasePool does after each release), until
 * the wall time it was kept awake to.
 */
final class AwakeClock {
    private int inflight;
    private long accumulatedMs;
    private long markMs;
    private long keepUntilMs;

    AwakeClock(long nowMs) {
        markMs = nowMs;
        keepUntilMs = nowMs;
    }

    /** A request starts: the instance is awake until it ends. */
    synchronized void enter(long nowMs) {
        fold(nowMs);
        inflight++;
    }

    /** A request ends; the instance stays awake {@code keepAwakeMs} more (0 = suspended at once when idle). */
    synchronized void exit(long nowMs, long keepAwakeMs) {
        fold(nowMs);
        inflight--;
        keepUntilMs = Math.max(keepUntilMs, nowMs + keepAwakeMs);
    }

    /** Awake time so far. */
    synchronized long awakeMs(long nowMs) { return accumulatedMs + awakeSinceMark(nowMs); }

    /** The wall time until which an idle instance is kept awake (its last release when nothing asked for more). */
    synchronized long keptUntilMs() { return keepUntilMs; }

    private long awakeSinceMark(long nowMs) {
        if (inflight > 0) return Math.max(0, nowMs - markMs);
        return Math.max(0, Math.min(nowMs, keepUntilMs) - markMs);
    }

    private void fold(long nowMs) {
        accumulatedMs += awakeSinceMark(nowMs);
        markMs = Math.max(markMs, nowMs);
    }
}

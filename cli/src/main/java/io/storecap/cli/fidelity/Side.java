package io.storecap.cli.fidelity;

/**
 * One side of the comparison: the real Prisma 7 client in a Node process ({@link RealInstance}) or
 * the Java emulation's function instance in the reference service ({@link EmulatedInstance}). A
 * case drives both through the same steps and counts each side's backends by its application_name.
 */
interface Side extends AutoCloseable {
    /** "real" or "emulated". */
    String label();

    /** The application_name its connections carry in pg_stat_activity. */
    String applicationName();

    /** {@code Promise.all} of {@code n} queries {@code SELECT pg_sleep(sleepMs / 1000)::text}; returns when all are done. */
    void query(int n, int sleepMs) throws Exception;

    /** Suspends the instance: its timers stop, its connections stay (the real process: SIGSTOP). */
    void freeze() throws Exception;

    /** The platform reclaims the instance (the real process: SIGKILL). */
    void reclaim() throws Exception;

    /** Stops what it started; safe to call twice. */
    @Override
    void close();
}

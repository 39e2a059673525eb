package io.storecap.environment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Everything a run starts is registered here and closed in reverse order: on close, on failure,
 * and from a JVM shutdown hook on SIGINT/SIGTERM, so no postgres, pgbouncer or service process
 * outlives the harness.
 */
public final class Cleanup {
    private static final Logger log = LoggerFactory.getLogger(Cleanup.class);
    private static final Deque<AutoCloseable> OPEN = new ArrayDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::closeAll, "storecap-cleanup"));
    }

    private Cleanup() {}

    /** Registers a resource; returns it for chaining. */
    public static <T extends AutoCloseable> T register(T resource) {
        synchronized (OPEN) {
            OPEN.push(resource);
        }
        return resource;
    }

    /** Closes a resource now and forgets it. */
    public static void close(AutoCloseable resource) {
        if (resource == null) return;
        synchronized (OPEN) {
            OPEN.remove(resource);
        }
        try {
            resource.close();
        } catch (Exception e) {
            log.warn("closing {} failed: {}", resource, e.toString());
        }
    }

    /** Closes everything still open, newest first. */
    public static void closeAll() {
        while (true) {
            AutoCloseable r;
            synchronized (OPEN) {
                r = OPEN.poll();
            }
            if (r == null) return;
            try {
                r.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", r, e.toString());
            }
        }
    }
}

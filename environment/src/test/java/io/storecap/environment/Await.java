package io.storecap.environment;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waiting in tests for a condition that really shows what is waited for, with a deadline, instead of sleeping a guess. */
public final class Await {
    private Await() {}

    /** Polls {@code condition} every 20 ms until it holds; fails with {@code what} (read at the deadline) when it never does. */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) fail(what.get() + " (still not so after " + timeout.toMillis() + " ms)");
            Thread.sleep(20);
        }
    }
}

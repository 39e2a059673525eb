package io.storecap.environment;

import org.rnorth.ducttape.TimeoutException;
import org.rnorth.ducttape.ratelimits.RateLimiterBuilder;
import org.rnorth.ducttape.unreliables.Unreliables;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Testcontainers wait strategy met when a probe through the container's published port answers
 * (a query as the superuser, a command on PgBouncer's console); it keeps that answer (the server's
 * version). It follows the log-line strategies: a port Docker publishes accepts TCP before the
 * server behind it does, and a restarted container repeats its old log lines, so the probe is what
 * shows the server serves. Retries at {@code perSecond} a second until the startup timeout.
 *
 * @param <T> what the probe answers
 */
final class ProbeWaitStrategy<T> extends AbstractWaitStrategy {
    /** One attempt: an answer, or an exception while the server is not serving yet. */
    @FunctionalInterface
    interface Probe<T> {
        T answer() throws Exception;
    }

    private final String what;
    private final Probe<T> probe;
    private final AtomicReference<T> answer = new AtomicReference<>();

    ProbeWaitStrategy(String what, Probe<T> probe, int perSecond, Duration timeout) {
        this.what = what;
        this.probe = probe;
        this.startupTimeout = timeout;
        withRateLimiter(RateLimiterBuilder.newBuilder().withRate(perSecond, TimeUnit.SECONDS).withConstantThroughput().build());
    }

    @Override
    protected void waitUntilReady() {
        int seconds = (int) Math.max(1, startupTimeout.toSeconds());
        AtomicReference<Exception> last = new AtomicReference<>();
        try {
            answer.set(Unreliables.retryUntilSuccess(seconds, TimeUnit.SECONDS, () -> getRateLimiter().getWhenReady(() -> {
                try {
                    return probe.answer();
                } catch (Exception e) {
                    last.set(e);
                    throw e;
                }
            })));
        } catch (TimeoutException e) {
            Exception cause = last.get();
            throw new ContainerLaunchException(what + " did not answer within " + seconds + " s: "
                    + (cause == null ? "no attempt" : cause.getMessage()), cause == null ? e : cause);
        }
    }

    /** The probe's answer once the strategy has been met. */
    T answer() {
        T a = answer.get();
        if (a == null) throw new IllegalStateException(what + " has not answered yet");
        return a;
    }
}

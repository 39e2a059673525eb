package io.storecap.runner;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.storecap.simulations.IntervalLatency;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A study's live metrics: the run under way served in the Prometheus text format at
 * http://127.0.0.1:PORT/metrics (loopback only: the numbers describe this machine's test, nobody
 * else's business), by the official Prometheus Java client's HTTP server. The sampler's readings
 * are read at each scrape; response times are gathered by the simulation into its
 * {@link IntervalLatency} and closed here every {@value #INTERVAL_MS} ms, so a percentile always
 * covers a few seconds of responses, not the whole run. One exporter for the whole study; each run
 * attaches while it runs. Closing it (the study's end, its failure, or the JVM's shutdown) closes
 * the port.
 */
public final class LiveMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveMetrics.class);
    static final long INTERVAL_MS = 5_000;

    private final HTTPServer server;
    private final ScheduledExecutorService roller;
    private final LiveGauges gauges;
    private final Thread hook;
    private volatile LiveRun current;
    private volatile IntervalLatency.Interval last;
    private volatile boolean closed;

    /** A run's hold on the exporter; closing it takes the run's series off (after counting its last responses). */
    public interface Attachment extends AutoCloseable {
        @Override
        void close();
    }

    private LiveMetrics(MetricsPort port, long intervalMs) {
        if (port.off()) {
            server = null;
            roller = null;
            gauges = null;
            hook = null;
            return;
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        gauges = new LiveGauges(registry, () -> current, () -> last);
        try {
            server = HTTPServer.builder().inetAddress(loopback()).port(port.port()).registry(registry).buildAndStart();
        } catch (IOException e) {
            throw new IllegalArgumentException("--metrics-port " + port.port() + ": cannot listen on 127.0.0.1:" + port.port() + " ("
                    + e.getMessage() + "); pick another port, 0 for a free one, or off");
        }
        roller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "live-metrics");
            t.setDaemon(true);
            return t;
        });
        roller.scheduleAtFixedRate(this::rollSafely, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        hook = new Thread(this::close, "live-metrics-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts the exporter on {@code port} (nothing when off); a port in use is bad input, said with the fix. */
    public static LiveMetrics start(MetricsPort port) { return new LiveMetrics(port, INTERVAL_MS); }

    static LiveMetrics start(MetricsPort port, long intervalMs) { return new LiveMetrics(port, intervalMs); }

    /** No exporter: attaching does nothing. */
    public static LiveMetrics off() { return new LiveMetrics(MetricsPort.OFF, INTERVAL_MS); }

    public boolean on() { return server != null; }

    /** The port it listens on; -1 when off. */
    public int port() { return server == null ? -1 : server.getPort(); }

    /** Where to scrape, e.g. http://127.0.0.1:9464/metrics; null when off. */
    public String url() { return server == null ? null : "http://127.0.0.1:" + port() + "/metrics"; }

    /**
     * Shows {@code run} from now on (responses recorded before are dropped: they belong to no
     * interval of this run); close the attachment when the run ends, also on failure.
     */
    public Attachment attach(LiveRun run) {
        if (server == null || closed) return () -> { };
        synchronized (this) {
            run.intervals().roll();
            last = null;
            current = run;
        }
        return () -> detach(run);
    }

    private synchronized void detach(LiveRun run) {
        if (current != run) return;
        roll();
        current = null;
        last = null;
    }

    /** Closes the interval under way now (the timer does it every interval; a test may too). */
    synchronized void roll() {
        LiveRun r = current;
        if (r == null) return;
        IntervalLatency.Interval i = r.intervals().roll();
        gauges.count(r, i);
        last = i;
    }

    private void rollSafely() {
        try {
            roll();
        } catch (RuntimeException e) {
            log.warn("closing a live latency interval failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (server == null || closed) return;
        closed = true;
        roller.shutdownNow();
        server.close();
        current = null;
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting and runs the hook anyway
            }
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[]{127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }
}

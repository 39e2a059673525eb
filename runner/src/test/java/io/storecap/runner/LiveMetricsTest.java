package io.storecap.runner;

import io.storecap.environment.Sample;
import io.storecap.model.Route;
import io.storecap.model.Tier;
import io.storecap.simulations.IntervalLatency;
import io.storecap.simulations.LevelClock;
import io.storecap.simulations.LevelPlan;
import io.storecap.simulations.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exporter on a real loopback port, fed by a run made of fixed readings: what a scrape shows,
 * that a run's series go when it detaches, and that closing closes the port.
 */
class LiveMetricsTest {
    static final Tier TINY = new Tier("tiny", "Tiny", 20, 3, 10, 100, 1, null);

    /** A pooled run with one fixed reading and its stair's second level under way; {@link #record} gives it responses. */
    static LiveRun fixedRun() {
        Sample s = new Sample(System.currentTimeMillis(), 1, 7, 4, 2, 1, 9, 12, 3, 6, 4, 25, 5, 2, 3, 11,
                Map.of("53300", 2L), 0.42);
        LevelClock clock = new LevelClock(List.of(new LevelPlan(10, 60, 1, 1, "settle"), new LevelPlan(40, 60, 0.5, 2, "ramp")));
        clock.start(System.currentTimeMillis() - 61_000);
        IntervalLatency intervals = new IntervalLatency();
        return new LiveRun("tiny-pooled@prisma-7", "tiny-pooled", "prisma-7", Route.POOLED, TINY, () -> s, () -> clock, intervals,
                stores -> stores * 0.5);
    }

    /** 100 cart events of 1..100 ms (every 10th failed) and a webhook. */
    static void record(LiveRun run) {
        for (int ms = 1; ms <= 100; ms++) run.intervals().record("cart-event", ms, ms % 10 != 0);
        run.intervals().record("webhook", 30, true);
    }

    @Test
    void aScrapeShowsTheReadingsTheLevelAndTheLastIntervalsPercentiles() throws Exception {
        try (LiveMetrics live = LiveMetrics.start(MetricsPort.FREE, 3_600_000)) {
            assertTrue(live.url().matches("http://127\\.0\\.0\\.1:\\d+/metrics"), live.url());
            LiveRun run = fixedRun();
            LiveMetrics.Attachment shown = live.attach(run);
            record(run); // attaching dropped what came before
            live.roll();
            LiveScrape s = LiveScrape.of(live.url());
            assertEquals(200, s.status());
            assertTrue(s.contentType().startsWith("text/plain"), s.contentType());
            String[] who = {"run", "tiny-pooled@prisma-7", "claim", "tiny-pooled", "runtime", "prisma-7"};
            assertEquals(7, s.value("storecap_postgres_app_connections", who).orElseThrow(), s.body());
            assertEquals(4, s.value("storecap_postgres_app_connections_active", who).orElseThrow());
            assertEquals(17, s.value("storecap_postgres_usable_connections", who).orElseThrow());
            assertEquals(3, s.value("storecap_pgbouncer_clients_waiting", who).orElseThrow());
            assertEquals(10, s.value("storecap_pgbouncer_pool_size", who).orElseThrow());
            assertEquals(0.025, s.value("storecap_pgbouncer_max_wait_seconds", who).orElseThrow(), 1e-9);
            assertEquals(5, s.value("storecap_service_warm_instances", who).orElseThrow());
            assertEquals(0.42, s.value("storecap_machine_cpu_ratio", who).orElseThrow(), 1e-9);
            assertEquals(2, s.value("storecap_service_refusals_total", "cause", "53300").orElseThrow());
            assertEquals(40, s.value("storecap_level_stores", "phase", "ramp").orElseThrow(), "the clock is in its second level");
            assertEquals(20, s.value("storecap_level_target_rps", "phase", "ramp").orElseThrow());
            assertEquals(40, s.value("storecap_level_injected_rps", "phase", "ramp").orElseThrow(), "20 /s at time scale 0.5");
            assertEquals(0.050, s.value("storecap_interval_latency_seconds", "kind", "cart-event", "quantile", "0.5").orElseThrow(), 1e-9);
            assertEquals(0.095, s.value("storecap_interval_latency_seconds", "kind", "cart-event", "quantile", "0.95").orElseThrow(), 1e-9);
            assertEquals(0.099, s.value("storecap_interval_latency_seconds", "kind", "cart-event", "quantile", "0.99").orElseThrow(), 1e-9);
            assertEquals(101, s.value("storecap_interval_requests", "kind", "all").orElseThrow());
            assertEquals(100, s.value("storecap_requests_total", "kind", "cart-event").orElseThrow());
            assertEquals(10, s.value("storecap_request_errors_total", "kind", "cart-event").orElseThrow());
            assertTrue(s.value("storecap_requests_total", "kind", "all").isEmpty(), "'all' is not counted twice");

            record(run);
            live.roll();
            assertEquals(200, LiveScrape.of(live.url()).value("storecap_requests_total", "kind", "cart-event").orElseThrow(),
                    "the counter grows by each closed interval");

            shown.close();
            LiveScrape after = LiveScrape.of(live.url());
            assertTrue(after.value("storecap_run_info").isEmpty() && after.value("storecap_postgres_app_connections").isEmpty()
                    && after.value("storecap_interval_latency_seconds").isEmpty(), "a detached run's gauges are gone:\n" + after.body());
        }
    }

    @Test
    void aDirectRunHasNoPgBouncerSeries() throws Exception {
        LiveRun pooled = fixedRun();
        LiveRun direct = new LiveRun("tiny-direct", "tiny-direct", "", Route.DIRECT, TINY, pooled.latest(), pooled.clock(),
                pooled.intervals(), pooled.targetRps());
        try (LiveMetrics live = LiveMetrics.start(MetricsPort.FREE); LiveMetrics.Attachment ignored = live.attach(direct)) {
            LiveScrape s = LiveScrape.of(live.url());
            assertTrue(s.value("storecap_postgres_app_connections").isPresent(), s.body());
            assertFalse(s.names().stream().anyMatch(n -> n.startsWith("storecap_pgbouncer_")), s.body());
        }
    }

    @Test
    void closingClosesThePortAndAPortInUseIsBadInputWithTheFix() throws Exception {
        LiveMetrics live = LiveMetrics.start(MetricsPort.FREE);
        int port = live.port();
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class, () -> LiveMetrics.start(new MetricsPort(port)));
        assertTrue(taken.getMessage().contains("--metrics-port " + port) && taken.getMessage().contains("0 for a free one, or off"),
                taken.getMessage());
        live.attach(fixedRun());
        live.close();
        live.close(); // twice is fine
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "the port is closed after close()");
        live.attach(fixedRun()).close(); // a closed exporter takes no run
    }

    @Test
    void aStudyThatFailsStillClosesItsPort(@TempDir Path dir) throws Exception {
        Study.Inputs in = LiveMetricsIT.inputs(dir);
        Path notAFolder = Files.writeString(dir.resolve("out"), "a file where the study folder should be");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertThrows(RuntimeException.class, () -> new Study(new PrintStream(log, true)).run(in, new Study.Options(true, List.of(),
                Scenario.STAIR, false, "local", false, 1L, List.of(), MetricsPort.FREE), notAFolder), "no run and no report can be written");
        Matcher m = Pattern.compile("live metrics: http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(log.toString());
        assertTrue(m.find(), log.toString());
        assertTrue(log.toString().contains("run tiny-pooled failed"), log.toString());
        int port = Integer.parseInt(m.group(1));
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "the port is closed after the failure");
    }

    @Test
    void itListensOnLoopbackOnly() throws Exception {
        InetAddress other = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "this machine has no address but loopback");
        try (LiveMetrics live = LiveMetrics.start(MetricsPort.FREE); Socket s = new Socket()) {
            assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress(other, live.port()), 2000),
                    "reachable on " + other + ", not only on 127.0.0.1");
        }
    }

    @Test
    void offServesNothingAndThePortOptionSaysWhatIsAllowed() {
        LiveMetrics off = LiveMetrics.start(MetricsPort.parse("off"));
        assertFalse(off.on());
        assertEquals(-1, off.port());
        off.attach(fixedRun()).close();
        off.close();
        assertEquals(MetricsPort.FREE, MetricsPort.parse(" 0 "));
        assertEquals(9464, MetricsPort.parse("9464").port());
        for (String bad : new String[]{"x", "-2", "65536", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricsPort.parse(bad));
            assertTrue(e.getMessage().contains("0 for a free port, or off"), e.getMessage());
        }
    }
}

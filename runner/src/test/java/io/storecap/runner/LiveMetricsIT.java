package io.storecap.runner;

import io.storecap.simulations.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real study, as small as one exists (one pooled claim, a knee search of two short levels on
 * real Postgres, PgBouncer and the service), scraped over HTTP on loopback while it runs: the
 * sampler's gauges and the latency percentiles appear with plausible values, and the port is
 * closed once the study returns.
 */
class LiveMetricsIT {
    private static final Pattern URL = Pattern.compile("live metrics: (http://127\\.0\\.0\\.1:(\\d+)/metrics)");

    @Test
    void aRunningStudyIsScrapedOnLoopbackAndThePortClosesAfter(@TempDir Path dir) throws Exception {
        Study.Inputs in = inputs(dir);
        ByteArrayOutputStream log = new ByteArrayOutputStream(); // its methods are synchronized: read while the study writes
        List<LiveScrape> scrapes = new CopyOnWriteArrayList<>();
        List<String> scrapeErrors = new CopyOnWriteArrayList<>();
        String[] url = {null};
        Thread scraper = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(500);
                    if (url[0] == null) {
                        Matcher m = URL.matcher(log.toString());
                        if (m.find()) url[0] = m.group(1);
                        continue;
                    }
                    try {
                        scrapes.add(LiveScrape.of(url[0]));
                    } catch (java.io.IOException e) {
                        scrapeErrors.add(e.toString()); // the study has ended and closed the port
                    }
                }
            } catch (InterruptedException done) {
                // the study is over
            }
        }, "test-scraper");
        scraper.setDaemon(true);
        scraper.start();
        try {
            new Study(new PrintStream(log, true)).run(in, new Study.Options(true, List.of(), Scenario.STAIR, false,
                    "local", false, 7L, List.of(), MetricsPort.FREE), dir.resolve("out"));
        } finally {
            scraper.interrupt();
            scraper.join(10_000);
        }
        String printed = log.toString();
        Matcher m = URL.matcher(printed);
        assertTrue(m.find(), "the study prints where its live metrics are:\n" + printed);
        assertTrue(m.start() < printed.indexOf("[1/1]"), "... before its first run starts:\n" + printed);
        int port = Integer.parseInt(m.group(2));

        List<LiveScrape> during = scrapes.stream().filter(s -> s.value("storecap_run_info", "claim", "tiny-pooled").isPresent()).toList();
        assertTrue(during.size() >= 5, "scraped the run " + during.size() + " times of " + scrapes.size() + "; errors " + scrapeErrors + "\n" + printed);
        assertTrue(during.stream().allMatch(s -> s.status() == 200 && s.contentType().startsWith("text/plain")));
        double maxConnections = max(during, "storecap_postgres_app_connections");
        assertTrue(maxConnections >= 1 && maxConnections <= 17,
                "Postgres saw the app's connections through PgBouncer, within the tier's 17 usable: " + maxConnections);
        assertEquals(17, max(during, "storecap_postgres_usable_connections"));
        assertTrue(max(during, "storecap_pgbouncer_clients_active") >= 1, "PgBouncer had clients");
        assertTrue(max(during, "storecap_pgbouncer_server_connections_active") <= 10 + 1, "server connections stay within the pool");
        assertTrue(max(during, "storecap_service_warm_instances") >= 1, "the service had warm instances");
        double cpu = max(during, "storecap_machine_cpu_ratio");
        assertTrue(cpu > 0 && cpu <= 1, "machine CPU is a share: " + cpu);
        assertTrue(during.stream().anyMatch(s -> s.series().stream().anyMatch(x -> x.name().equals("storecap_level_stores")
                && x.value() >= 1 && List.of("settle", "ramp").contains(x.labels().get("phase")))), "a level was shown under way");

        List<LiveScrape> withLatency = during.stream()
                .filter(s -> s.value("storecap_interval_latency_seconds", "kind", "all", "quantile", "0.95").isPresent()).toList();
        assertTrue(!withLatency.isEmpty(), "a closed latency interval was shown");
        for (LiveScrape s : withLatency) {
            double p50 = s.value("storecap_interval_latency_seconds", "kind", "all", "quantile", "0.5").orElseThrow();
            double p95 = s.value("storecap_interval_latency_seconds", "kind", "all", "quantile", "0.95").orElseThrow();
            double p99 = s.value("storecap_interval_latency_seconds", "kind", "all", "quantile", "0.99").orElseThrow();
            // production-equivalent: the emulated function holds a request 250 ms, and no response outlasts Shopify's timeout by much
            assertTrue(p50 > 0.1 && p50 <= p95 && p95 <= p99 && p99 < 60, p50 + " " + p95 + " " + p99 + "\n" + s.body());
            assertTrue(s.value("storecap_interval_requests", "kind", "cart-event").orElse(0) >= 1, s.body());
        }
        double requests = during.get(during.size() - 1).series().stream().filter(x -> x.name().equals("storecap_requests_total"))
                .mapToDouble(LiveScrape.Series::value).sum();
        assertTrue(requests >= 10, "the request counters grew: " + requests);

        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "the port is closed once the study returns");
    }

    /** One pooled claim on a tiny tier and a knee search of two short levels. */
    static Study.Inputs inputs(Path dir) throws java.io.IOException {
        Files.writeString(dir.resolve("tiers.yaml"), """
                tiers:
                  - {id: tiny, maxConnections: 20, reserved: 3, poolerPoolSize: 10, monthlyCostUsd: 1}
                """);
        Files.writeString(dir.resolve("claims.yaml"), """
                claims:
                  - {id: tiny-pooled, tier: tiny, route: pooled, claimed: {min: 10, max: 30}}
                """);
        Files.writeString(dir.resolve("profile.yaml"), """
                name: live-metrics-test-profile
                perStorePerHour:
                  cart-event: {baseline: 600, peak: 1800, reason: "test: enough requests for a few latency intervals"}
                  webhook: {baseline: 100, peak: 300, reason: "test: a second request kind"}
                webhookTopics: {orders/create: 1}
                shopify: {timeoutSeconds: 5, maxAttempts: 3, backoffMs: [200, 400]}
                """);
        Files.writeString(dir.resolve("study.yaml"), """
                pastClaimFactor: 1.5
                service: {mode: serverless, connectionLimit: 1, coldStartMs: 100, functionMs: 250, dbLatencyMs: 1}
                modes:
                  quick:
                    ladder: [5, 30]
                    levelSeconds: 6
                    settleSeconds: 2
                    idleTtlSeconds: 2
                    search: {replicates: 1, bracketRatio: 1.3, rampMin: 2, rampMax: 8, targetRps: 200, minTimeScale: 0.25,
                             maxTimeScale: 4, idleTtlSeconds: 60, minLevelSeconds: 6, maxLevelSeconds: 8, maxLevels: 2,
                             maxStores: 300, seedStores: 300, targetStores: []}
                  full: {ladder: [5, 30], levelSeconds: 6, settleSeconds: 2, idleTtlSeconds: 2}
                """);
        return new Study.Inputs(dir.resolve("claims.yaml"), dir.resolve("tiers.yaml"), dir.resolve("profile.yaml"), dir.resolve("study.yaml"));
    }

    private static double max(List<LiveScrape> scrapes, String name) {
        return scrapes.stream().mapToDouble(s -> s.value(name).orElse(Double.NEGATIVE_INFINITY)).max().orElse(Double.NEGATIVE_INFINITY);
    }
}

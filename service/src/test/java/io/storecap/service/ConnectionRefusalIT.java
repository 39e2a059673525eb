package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.environment.LocalPgBouncer;
import io.storecap.environment.LocalPostgres;
import io.storecap.environment.TelemetrySampler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heart of the emulation, on a real Postgres and a real PgBouncer: a burst of concurrent cold
 * requests in serverless mode opens one connection per new instance, so straight to a small
 * Postgres it is refused with 53300; the same burst through PgBouncer is not.
 */
class ConnectionRefusalIT {
    static final int MAX_CONNECTIONS = 20;
    static final int RESERVED = 3;
    static final int BURST = 40;
    static LocalPostgres pg;
    static LocalPgBouncer bouncer;

    @BeforeAll
    static void start() throws Exception {
        pg = LocalPostgres.create().withMaxConnections(MAX_CONNECTIONS).withReserved(RESERVED).start();
        bouncer = LocalPgBouncer.in(pg.handle()).withPoolSize(10).start();
        try (Connection c = java.sql.DriverManager.getConnection(pg.handle().appJdbcUrl(), pg.handle().appUser(), pg.handle().appPassword())) {
            Schema.create(c, true);
            Stores.seed(c, 50, 20);
        }
    }

    @AfterAll
    static void stop() {
        if (bouncer != null) bouncer.close();
        if (pg != null) pg.close();
    }

    static ServiceConfig serverless(String jdbcUrl) {
        return ServiceConfig.parse(new String[]{"--jdbc-url=" + jdbcUrl, "--db-user=" + pg.handle().appUser(),
                "--db-password=" + pg.handle().appPassword(), "--app-secret=test-secret-123", "--admin-token=admin-token-123",
                "--mode=serverless", "--cold-start-ms=300", "--idle-ttl-ms=60000", "--connection-limit=1",
                "--pool-timeout-ms=2000"}, Map.of());
    }

    /** Fires BURST requests at once (released together by a latch) and returns their status codes. */
    static List<Integer> burst(int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(BURST);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        try {
            for (int i = 0; i < BURST; i++) {
                String shop = Stores.domain(1 + i % 50);
                all.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/proxy/recommendations?shop=" + shop)).timeout(Duration.ofSeconds(30)).build();
                        return client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            go.countDown();
            List<Integer> codes = new ArrayList<>();
            for (CompletableFuture<Integer> f : all) codes.add(f.get());
            return codes;
        } finally {
            pool.shutdownNow();
        }
    }

    static JsonNode metrics(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return ReferenceService.JSON.readTree(r.body());
    }

    @Test
    void burstStraightToPostgresIsRefusedWith53300() throws Exception {
        // the sampler holds its superuser connection for the run, as in a study
        try (ReferenceService svc = ReferenceService.start(serverless(pg.handle().appJdbcUrl()));
             TelemetrySampler sampler = TelemetrySampler.of(pg.handle()).withPeriodMs(50).start()) {
            List<Integer> codes = burst(svc.port());
            Support.awaitNextSample(sampler);
            int peak = sampler.samples().stream().mapToInt(s -> s.appBackends()).max().orElse(0);
            assertEquals(MAX_CONNECTIONS - RESERVED, peak, "the sampler sees the app holding every usable slot");
            long ok = codes.stream().filter(c -> c == 200).count();
            long refused = codes.stream().filter(c -> c == 503).count();
            JsonNode m = metrics(svc.port());
            long counted = m.path("refusals").path("too_many_clients").asLong();
            assertTrue(m.path("coldStarts").asLong() >= BURST - 2, "each concurrent cold request starts an instance: " + m);
            assertTrue(counted > 0, "53300 refusals are counted in /metrics: " + m);
            assertEquals(refused, counted, "every 503 is a counted too_many_clients refusal: " + codes);
            // the app can hold at most max_connections - reserved connections at once
            assertTrue(ok <= MAX_CONNECTIONS - RESERVED, "no more requests succeed than there are usable slots: " + ok);
        }
    }

    @Test
    void sameBurstThroughPgBouncerIsNotRefused() throws Exception {
        try (ReferenceService svc = ReferenceService.start(serverless(bouncer.handle().appJdbcUrl()))) {
            List<Integer> codes = burst(svc.port());
            JsonNode m = metrics(svc.port());
            assertTrue(codes.stream().allMatch(c -> c == 200), "every request succeeds through the pooler: " + codes);
            assertEquals(0, m.path("refusals").path("too_many_clients").asLong(), m.toString());
            assertTrue(m.path("coldStarts").asLong() >= BURST - 2, "the burst still started an instance per request: " + m);
        }
    }
}

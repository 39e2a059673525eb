package io.storecap.service;

import io.storecap.environment.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Time scaling on real Postgres: the same dimensionless operating point (rate x hold time, rate x
 * TTL) at two factors gives the same distribution of warm instances and connections, and the same
 * rate without stretching the durations does not (so the comparison can fail).
 */
class TimeScaleIT {
    static LocalPostgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = Support.seededPostgres(80, 20, 5);
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    /** Poisson arrivals at {@code rate} for {@code seconds}; samples (warm instances, open connections) every {@code sampleMs}. */
    static double[][] drive(ReferenceService svc, double rate, double seconds, long sampleMs, long seed) throws Exception {
        Random r = new Random(seed);
        List<CompletableFuture<HttpResponse<Void>>> sent = new ArrayList<>();
        List<double[]> samples = new ArrayList<>();
        long start = System.nanoTime(), end = start + Math.round(seconds * 1e9);
        double next = start;
        long nextSample = start + Math.round(seconds * 1e9 / 4); // after a quarter: the pool has settled
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            while (next <= now) {
                sent.add(Support.HTTP.sendAsync(HttpRequest.newBuilder(URI.create(Support.url(svc, "/proxy/recommendations?shop="
                        + Stores.domain(1 + r.nextInt(20))))).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding()));
                next += -Math.log(1 - r.nextDouble()) / rate * 1e9;
            }
            if (now >= nextSample) {
                var m = Support.metrics(svc);
                samples.add(new double[]{m.path("warmInstances").asDouble(), m.path("openConnections").asDouble()});
                nextSample += sampleMs * 1_000_000;
            }
            Thread.sleep(1); // the arrival loop's tick: it paces the load, it waits for nothing
        }
        for (var f : sent) assertEquals(200, f.get().statusCode());
        double[][] out = new double[2][samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            out[0][i] = samples.get(i)[0];
            out[1][i] = samples.get(i)[1];
        }
        return out;
    }

    static double mean(double[] v) { return Arrays.stream(v).average().orElse(0); }

    static void setScale(ReferenceService svc, double k) {
        var resp = Support.send(svc, "POST", "/internal/time-scale?k=" + k, null, "X-Admin-Token", Support.ADMIN);
        assertEquals(200, resp.statusCode(), resp.body());
    }

    @Test
    void theSameOperatingPointAtTwoTimeScalesGivesTheSameInstancesAndConnections() throws Exception {
        double rate = 120, seconds = 4;
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--function-ms=25", "--db-latency-ms=2",
                "--cold-start-ms=40", "--idle-ttl-ms=300"))) {
            setScale(svc, 1);
            double[][] k1 = drive(svc, rate, seconds, 25, 1);
            setScale(svc, 3);
            double[][] k3 = drive(svc, rate / 3, seconds * 3, 75, 2);
            // and the trap: a third of the rate with production durations is a different operating point
            setScale(svc, 1);
            double[][] slow = drive(svc, rate / 3, seconds, 25, 3);
            double w1 = mean(k1[0]), w3 = mean(k3[0]), ws = mean(slow[0]);
            double c1 = mean(k1[1]), c3 = mean(k3[1]);
            assertTrue(w1 > 2, "the operating point keeps a few instances warm: " + w1);
            assertTrue(Math.abs(w3 - w1) / w1 < 0.2, "warm instances at k=1 " + w1 + " and k=3 " + w3);
            assertTrue(Math.abs(c3 - c1) / c1 < 0.2, "connections at k=1 " + c1 + " and k=3 " + c3);
            assertTrue(ws < 0.7 * w1, "a third of the rate without stretching durations keeps fewer warm: " + ws + " vs " + w1);
        }
    }

    @Test
    void aScaleChangeRetiresEveryInstanceAndARefusedFactorSaysWhy() throws Exception {
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle()))) {
            assertEquals(200, Support.get(svc, "/proxy/recommendations?shop=" + Stores.domain(1)).statusCode());
            assertEquals(1, Support.metrics(svc).path("warmInstances").asLong());
            setScale(svc, 2);
            assertEquals(0, Support.metrics(svc).path("warmInstances").asLong());
            assertEquals(2.0, Support.metrics(svc).path("timeScale").asDouble());
            var bad = Support.send(svc, "POST", "/internal/time-scale?k=x", null, "X-Admin-Token", Support.ADMIN);
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("must be numbers"), bad.body());
            assertEquals(401, Support.send(svc, "POST", "/internal/time-scale?k=2", null).statusCode());
        }
    }
}

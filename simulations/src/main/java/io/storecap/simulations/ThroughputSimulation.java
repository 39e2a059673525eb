package io.storecap.simulations;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.storecap.service.Stores;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

/**
 * A closed workload for the benchmark: {@code storecap.concurrency} users at once, each sending
 * the pgbench script's mix (two cart events to one recommendations call) back to back for
 * {@code storecap.seconds}. What it measures is the service's throughput on that many connections.
 */
public class ThroughputSimulation extends Simulation {
    public static final AtomicLong OK = new AtomicLong();
    public static final AtomicLong ALL = new AtomicLong();
    /** Called as the load starts and as it ends, so a caller measures that window only (not Gatling's start-up or report). */
    public static volatile Runnable onStart = () -> {};
    public static volatile Runnable onEnd = () -> {};
    public static volatile long startNs;
    public static volatile long endNs;

    private final String baseUrl = System.getProperty("storecap.baseUrl");
    private final int concurrency = Integer.getInteger("storecap.concurrency", 10);
    private final int seconds = Integer.getInteger("storecap.seconds", 15);
    private final int stores = Integer.getInteger("storecap.stores", 1000);

    // no redirect, cache or URL-encoding work per request: the service never asks for them, and on
    // two shared cores every microsecond of the load generator is taken from the service measured
    private final HttpProtocolBuilder protocol = http.baseUrl(baseUrl).shareConnections()
            .disableFollowRedirect().disableCaching().disableUrlEncoding().disableAutoReferer();

    private final ScenarioBuilder mix = scenario("mix")
            .exec(session -> session.set("shop", Stores.domain(1 + ThreadLocalRandom.current().nextInt(stores)))
                    .set("n", ThreadLocalRandom.current().nextInt(3)))
            .doIfOrElse(session -> session.getInt("n") == 0).then(
                    exec(http("recommendations").get("/proxy/recommendations?shop=#{shop}").check(status().is(200))))
            .orElse(
                    exec(http("cart-event").post("/proxy/events").header("Content-Type", "application/json")
                            .body(StringBody("{\"shop\":\"#{shop}\",\"type\":\"add_to_cart\",\"productId\":\"p1\",\"cartValue\":42}"))
                            .check(status().is(201))))
            .exec(session -> {
                ALL.incrementAndGet();
                if (!session.isFailed()) OK.incrementAndGet();
                return session;
            });

    @Override
    public void before() {
        onStart.run();
        startNs = System.nanoTime();
    }

    @Override
    public void after() {
        endNs = System.nanoTime();
        onEnd.run();
    }

    /** Completed requests a second over the load window. */
    public static double okPerSecond() { return OK.get() / ((endNs - startNs) / 1e9); }

    {
        if (baseUrl == null) throw new IllegalArgumentException("-Dstorecap.baseUrl is required");
        OK.set(0);
        ALL.set(0);
        setUp(mix.injectClosed(constantConcurrentUsers(concurrency).during(Duration.ofSeconds(seconds))))
                .protocols(protocol)
                .maxDuration(Duration.ofSeconds(seconds + 30));
    }
}

package io.storecap.simulations;

import io.gatling.javaapi.core.Simulation;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

/**
 * How exactly the injector holds an open-model arrival rate: {@code storecap.rate} users a second
 * for {@code storecap.seconds}, each one GET /healthz (no database, so the target never slows the
 * injector down). Arrivals are evenly spaced unless {@code storecap.randomized=true}.
 */
public class InjectionSimulation extends Simulation {
    public static final AtomicLong STARTED = new AtomicLong();
    public static volatile long firstNs;
    public static volatile long lastNs;

    private final String baseUrl = System.getProperty("storecap.baseUrl");
    private final double rate = Double.parseDouble(System.getProperty("storecap.rate", "100"));
    private final int seconds = Integer.getInteger("storecap.seconds", 30);
    private final boolean randomized = Boolean.getBoolean("storecap.randomized");

    {
        if (baseUrl == null) throw new IllegalArgumentException("-Dstorecap.baseUrl is required");
        STARTED.set(0);
        firstNs = 0;
        var step = constantUsersPerSec(rate).during(Duration.ofSeconds(seconds));
        setUp(scenario("inject").exec(session -> {
                    long now = System.nanoTime();
                    if (STARTED.getAndIncrement() == 0) firstNs = now;
                    lastNs = now;
                    return session;
                }).exec(http("healthz").get("/healthz"))
                .injectOpen(randomized ? step.randomized() : step))
                .protocols(http.baseUrl(baseUrl).shareConnections())
                .maxDuration(Duration.ofSeconds(seconds + 30));
    }
}

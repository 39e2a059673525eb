package io.storecap.simulations;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.storecap.model.TrafficProfile;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleFunction;

import static io.gatling.javaapi.core.CoreDsl.*;

/**
 * Webhooks delivered as Shopify delivers them (the profile's {@code shopify} block, see
 * {@link io.storecap.model.ShopifyDelivery}) to the route map's webhook route: each event signed once and sent with its
 * X-Shopify-Webhook-Id and X-Shopify-Event-Id; a failed attempt (not the route's status, 200, within the timeout) retried
 * with the same two ids after the schedule's wait, compressed by retryCompression and stretched by
 * the level's time scale k; at most maxAttempts attempts. A share of events is then delivered once
 * more under a new webhook id with the same event id, as Shopify may (one per subscription), which
 * the app must apply once. The ledger records every event, attempt and acknowledgement.
 * <p>
 * A delivery still being retried when its level ends keeps its schedule: Gatling runs until the
 * last virtual user ends, and {@link #horizonMs} is how much longer than the stair that can be (the
 * simulation's hard stop allows it), so the reconciliation that follows the run sees every retry.
 */
final class WebhookDelivery {

    /** Sends a request and records its outcome for the level (the simulation's {@code measured}). */
    @FunctionalInterface
    interface Measured {
        ChainBuilder apply(String kind, HttpRequestActionBuilder request, int expected);
    }

    private final TrafficProfile.Shopify shopify;
    private final WebhookLedger ledger;
    private final RouteRequests routes;
    private final double maxScale;
    private final Measured measured;

    /**
     * {@code routes}: where and how a webhook is sent (the route map's webhook route); {@code maxScale}:
     * the plan's largest time scale, which stretches the per-attempt timeout (fixed per request definition).
     */
    WebhookDelivery(TrafficProfile.Shopify shopify, WebhookLedger ledger, RouteRequests routes, double maxScale, Measured measured) {
        this.shopify = shopify;
        this.ledger = ledger;
        this.routes = routes;
        this.maxScale = maxScale;
        this.measured = measured;
        warnIfConnectTimeoutDiffers(shopify);
    }

    /** One event of a topic ({@code fixedTopic}, or one drawn by {@code pickTopic} from a uniform number). */
    ChainBuilder webhook(String fixedTopic, DoubleFunction<String> pickTopic) {
        return exec(session -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            WebhookLedger.Event e = ledger.nextEvent();
            String topic = fixedTopic != null ? fixedTopic : pickTopic.apply(r.nextDouble());
            String price = String.valueOf(r.nextInt(10, 400));
            boolean again = shopify.eventRedeliveryShare() > 0 && r.nextDouble() < shopify.eventRedeliveryShare();
            // the reference map's body names the event in its line item: its effect row in CartAnalytics can then be reconciled with it
            return routes.prepare("webhook", session.set("eventId", e.eventId()).set("webhookId", e.webhookId()).set("topic", topic)
                    .set("redeliver", again), name -> switch (name) {
                        case "topic" -> topic;
                        case "eventId" -> e.eventId();
                        case "eventSeq" -> String.valueOf(e.seq());
                        case "price" -> price;
                        default -> null;
                    });
        }).exec(deliver())
                .doIf(session -> session.getBoolean("redeliver")).then(
                        exec(session -> session.set("webhookId", ledger.redelivery(session.getString("webhookId"))))
                                .exec(deliver()));
    }

    /** One webhook id's attempts: the first, then retries after the schedule's waits, until a 200 or maxAttempts. */
    private ChainBuilder deliver() {
        int ok = routes.endpoint("webhook").status();
        return exec(session -> session.set("attempt", 0).remove("acked"))
                .asLongAs(session -> !session.contains("acked") && session.getInt("attempt") < shopify.maxAttempts()).on(
                        doIf(session -> session.getInt("attempt") > 0).then(
                                pause(session -> Duration.ofMillis(shopify.runBackoffMs(session.getInt("attempt"), session.getDouble("k"))))),
                        exec(session -> {
                            ledger.attempt();
                            return session.set("attempt", session.getInt("attempt") + 1);
                        }),
                        measured.apply("webhook", routes.request("webhook")
                                .header("X-Shopify-Topic", "#{topic}")
                                .header("X-Shopify-Shop-Domain", "#{shop}")
                                .header("X-Shopify-Webhook-Id", "#{webhookId}")
                                .header("X-Shopify-Event-Id", "#{eventId}")
                                .requestTimeout(Duration.ofMillis(Math.round(shopify.timeoutSeconds() * 1000 * maxScale))), ok),
                        exec(session -> {
                            if (session.contains("status") && session.getInt("status") == ok) {
                                ledger.ack(session.getString("eventId"));
                                return session.set("acked", true);
                            }
                            return session;
                        }))
                .exec(session -> {
                    ledger.deliveryEnded(session.contains("acked"));
                    return session;
                });
    }

    /**
     * How long after its last arrival an event can still be delivered: each of its deliveries (two
     * when events may be redelivered) every wait of the compressed schedule and every attempt timing
     * out, at the plan's largest time scale.
     */
    long horizonMs() {
        return (shopify.eventRedeliveryShare() > 0 ? 2 : 1) * shopify.deliveryHorizonMs(maxScale);
    }

    /**
     * Gatling's connect timeout is one setting for the whole run ({@code gatling.socket.connectTimeout},
     * simulations' gatling.conf: Shopify's 1 s). Says so when the profile asks for another value.
     */
    private static void warnIfConnectTimeoutDiffers(TrafficProfile.Shopify s) {
        if (s.connectTimeoutSeconds() <= 0) return;
        long applied = gatlingConnectTimeoutMs();
        long wanted = Math.round(s.connectTimeoutSeconds() * 1000);
        if (applied != wanted)
            System.err.printf("storecap: the profile's shopify.connectTimeoutSeconds is %.3f s but Gatling connects with %d ms;"
                    + " pass -Dgatling.socket.connectTimeout=%d to apply it%n", s.connectTimeoutSeconds(), applied, wanted);
    }

    /** The connect timeout Gatling applies, read as Gatling reads it: system properties, gatling.conf, its defaults. */
    static long gatlingConnectTimeoutMs() {
        Config c = ConfigFactory.systemProperties().withFallback(ConfigFactory.parseResources("gatling.conf"))
                .withFallback(ConfigFactory.parseResources("gatling-defaults.conf"));
        return c.hasPath("gatling.socket.connectTimeout") ? c.getLong("gatling.socket.connectTimeout") : -1;
    }
}

package io.storecap.simulations;

import io.storecap.model.RoutesFile;
import io.storecap.model.TrafficProfile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The injector's side of Shopify's delivery: the connect timeout Gatling applies, the run's horizon, the ledger. */
class WebhookDeliveryTest {
    static final TrafficProfile.Shopify SHOPIFY = TrafficProfile.load(Path.of("..", "config", "profile.yaml")).shopify();

    @Test
    void gatlingConnectsWithShopifysConnectTimeout() {
        assertEquals(Math.round(SHOPIFY.connectTimeoutSeconds() * 1000), WebhookDelivery.gatlingConnectTimeoutMs(),
                "gatling.conf's socket.connectTimeout is the profile's connectTimeoutSeconds");
    }

    @Test
    void theRunOutlastsTheLastScheduledRetryOfEveryDelivery() {
        WebhookDelivery d = new WebhookDelivery(SHOPIFY, new WebhookLedger("t"),
                new RouteRequests(RoutesFile.load(Path.of("..", "config", "routes.yaml")), "app-secret-0123456789", null), 4, (kind, request, expected) -> null);
        // a redelivered event: two deliveries, each 8 compressed waits and 9 timeouts, at the plan's largest k
        assertEquals(2 * SHOPIFY.deliveryHorizonMs(4), d.horizonMs());
        assertTrue(d.horizonMs() >= 2 * 4 * (SHOPIFY.retryWindowMs() / SHOPIFY.compression()), "covers the compressed 4 hours at k = 4");
    }

    @Test
    void theLedgerCountsEventsDeliveriesAndWhatIsStillInFlight() {
        WebhookLedger l = new WebhookLedger("wh1");
        WebhookLedger.Event a = l.nextEvent(), b = l.nextEvent();
        assertEquals("wh1-1", a.webhookId());
        assertEquals("wh1-e1", a.eventId());
        String again = l.redelivery(a.webhookId());
        assertTrue(again.startsWith("wh1-") && !again.equals(a.webhookId()), "a new webhook id under the run's prefix: " + again);
        l.ack(a.eventId());
        l.deliveryEnded(true);
        l.ack(a.eventId());
        l.deliveryEnded(true);
        l.deliveryEnded(false); // b: every attempt failed
        assertEquals(2, l.sent(), "events, not deliveries");
        assertEquals(Set.of("wh1-e1"), l.acknowledged(), "acknowledged by event id, once");
        assertEquals(1, l.exhausted());
        assertEquals(0, l.inFlight());
        l.nextEvent();
        assertEquals(1, l.inFlight(), "a delivery a stop cut short");
        assertEquals(4L, l.counts().get("deliveries"));
        assertEquals(1L, l.counts().get("redelivered"));
        assertEquals(b.seq() + 1, l.sent());
    }
}

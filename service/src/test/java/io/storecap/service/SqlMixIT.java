package io.storecap.service;

import io.storecap.environment.LocalPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compute knee's SQL mix on a real Postgres: each kind runs its handler's statements (a cart
 * event and a webhook leave the rows the service would leave, the webhook's effect included), kinds
 * come in the profile's proportions, and a kind the mix does not know is refused by name.
 */
class SqlMixIT {

    @Test
    void eachKindLeavesWhatItsHandlerLeavesAndTheMixFollowsTheRates() throws Exception {
        try (LocalPostgres pg = Support.seededPostgres(20, 50, 5); Connection c = Support.app(pg.handle())) {
            SqlMix mix = new SqlMix(Map.of("cart-event", 60.0, "recommendations", 30.0, "webhook", 10.0, "admin-session", 4.0),
                    Map.of("orders/create", 1.0), 50, 0.8);
            SplittableRandom rnd = new SplittableRandom(3);
            long analytics = Support.scalar(pg.handle(), "SELECT count(*) FROM \"CartAnalytics\"");
            assertEquals(1, mix.run("cart-event", c, Stores.domain(7), rnd));
            assertEquals(analytics + 1, Support.scalar(pg.handle(), "SELECT count(*) FROM \"CartAnalytics\""), "one cart event row");
            assertEquals(3, mix.run("recommendations", c, Stores.domain(7), rnd), "settings, bundles, top products");
            assertEquals(1, mix.run("admin-session", c, Stores.domain(7), rnd));
            String orders = "SELECT count(*) FROM \"CartAnalytics\" WHERE \"eventType\" = 'order' AND shop = ?";
            long ordersBefore = Support.scalar(pg.handle(), orders, Stores.domain(7)); // the seeded history has some
            assertEquals(3, mix.run("webhook", c, Stores.domain(7), rnd), "insert (with BEGIN), effect, COMMIT");
            assertEquals(1, Support.scalar(pg.handle(), "SELECT count(*) FROM \"WebhookEvent\" WHERE \"processedAt\" IS NOT NULL AND shop = ?",
                    Stores.domain(7)), "stored as processed, as immediate mode does");
            assertEquals(ordersBefore + 1, Support.scalar(pg.handle(), orders, Stores.domain(7)), "the order's effect, in the same transaction");
            assertTrue(c.getAutoCommit(), "the connection is handed back in autocommit mode");

            Map<String, Double> shares = mix.shares();
            assertEquals(60 / 104.0, shares.get("cart-event"), 1e-9);
            assertEquals(4 / 104.0, shares.get("admin-session"), 1e-9);
            long trips = 0;
            for (int i = 0; i < 400; i++) trips += mix.runOne(c, rnd);
            double perRequest = trips / 400.0;
            // expected round trips: 0.577 x 1 + 0.288 x 3 + 0.096 x 3 + 0.038 x 1 = 1.77
            assertEquals(1.77, perRequest, 0.15, "the kinds come in the profile's proportions: " + perRequest);

            String m = assertThrows(IllegalArgumentException.class, () -> new SqlMix(Map.of("dashboard", 1.0), Map.of(), 10, 0)).getMessage();
            assertTrue(m.contains("no request kind 'dashboard'") && m.contains("cart-event"), m);
        }
    }
}

package io.storecap.service;

import io.storecap.environment.LocalPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seeding 2000 stores with Zipf-spread store sizes on a real Postgres; prints how long it took (no timing assertion). */
class SeedIT {

    @Test
    void seeds2000StoresWithAFewBigAndManySmall() throws Exception {
        try (LocalPostgres pg = LocalPostgres.create().withMaxConnections(20).start();
             Connection c = Support.app(pg.handle())) {
            Schema.create(c, true);
            Stores.SeedResult r = Stores.seed(c, 2000, 30, 1.0);
            System.out.printf("storecap: seeded %d stores with %d analytics rows in %d ms%n", r.seeded(), r.historyRows(), r.millis());
            assertEquals(2000, r.stores());
            assertEquals(2000, r.seeded());
            assertEquals(4000, Support.scalar(pg.handle(), "SELECT count(*) FROM \"Session\""), "an online and an offline session each");
            assertEquals(6000, Support.scalar(pg.handle(), "SELECT count(*) FROM \"Bundle\""));
            long rows = Support.scalar(pg.handle(), "SELECT count(*) FROM \"CartAnalytics\"");
            assertEquals(r.historyRows(), rows);
            assertTrue(Math.abs(rows - 60_000) < 2_000, "mean of 30 rows a store (rounding adds at most one each): " + rows);
            long biggest = Support.scalar(pg.handle(), "SELECT count(*) FROM \"CartAnalytics\" WHERE shop = ?", Stores.domain(1));
            long median = Support.scalar(pg.handle(), "SELECT count(*) FROM \"CartAnalytics\" WHERE shop = ?", Stores.domain(1000));
            long smallest = Support.scalar(pg.handle(), "SELECT count(*) FROM \"CartAnalytics\" WHERE shop = ?", Stores.domain(2000));
            assertTrue(biggest > 100 * median, "a few big stores: " + biggest + " vs " + median);
            assertTrue(smallest >= 1 && median >= smallest, "many small ones, each with some history: " + median + ", " + smallest);
            Stores.SeedResult again = Stores.seed(c, 2000, 30, 1.0);
            assertEquals(0, again.seeded(), "seeding is idempotent");
            assertEquals(2000, Stores.seed(c, 2000, 30), "the older form answers the store count");
        }
    }

    @Test
    void uniformHistoryGivesEachStoreTheSame() throws Exception {
        try (LocalPostgres pg = LocalPostgres.create().withMaxConnections(20).start();
             Connection c = Support.app(pg.handle())) {
            Schema.create(c, true);
            assertEquals(50, Stores.seed(c, 50, 7));
            assertEquals(1, Support.scalar(pg.handle(), "SELECT count(DISTINCT n) FROM (SELECT count(*) n FROM \"CartAnalytics\" GROUP BY shop) x"));
            assertEquals(350, Support.scalar(pg.handle(), "SELECT count(*) FROM \"CartAnalytics\""));
        }
    }
}

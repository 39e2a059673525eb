package io.storecap.simulations;

import io.storecap.model.RouteMap;
import io.storecap.model.TrafficProfile;
import io.storecap.service.SessionTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hard rate cap of a run against a deployment, and the stores file it loads. */
class RateCapTest {
    static final TrafficProfile PROFILE = TrafficProfile.load(Path.of("..", "config", "profile.yaml"));

    @Test
    void noSecondCarriesMoreThanTheCap() {
        RateCap cap = new RateCap(3.7);
        assertEquals(3, cap.perSecond(), "whole requests: the cap rounds down");
        long t = 10_000;
        for (int i = 0; i < 3; i++) assertTrue(cap.admit(t + i * 100));
        assertFalse(cap.admit(t + 900), "the fourth in one second is not sent");
        assertEquals(1, cap.capped());
        assertTrue(cap.admit(t + 1000), "the next second starts afresh");
        assertNull(RateCap.of(null), "no cap unless asked for");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RateCap.of("lots")).getMessage().contains("storecap.maxRps must be a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RateCap(0.5)).getMessage().contains("at least 1"));
    }

    @Test
    void aPlanOverTheCapIsRefusedBeforeAnythingIsSent() {
        RateCap cap = new RateCap(20);
        int n = 1;
        while (PROFILE.totalRps(n) < 25 || PROFILE.totalRps(n) > 40) n = PROFILE.totalRps(n) < 25 ? n * 2 : n * 3 / 4;
        int stores = n; // 25-40 requests a second at time scale 1
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cap.check(List.of(new LevelPlan(stores, 5, 1, 1, "ramp")), PROFILE));
        assertTrue(e.getMessage().contains("more than the cap of 20") && e.getMessage().contains("nothing was sent"), e.getMessage());
        cap.check(List.of(new LevelPlan(stores, 5, 2, 1, "ramp")), PROFILE); // at time scale 2 it sends half: within the cap
    }

    @Test
    void aStoresFileListsTheDeploymentsShops(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("stores.txt");
        Files.writeString(f, "# installed shops\nbig.myshopify.com\n\n small.myshopify.com \n");
        assertEquals(List.of("big.myshopify.com", "small.myshopify.com"), StairSimulation.shops(f.toString()));
        assertNull(StairSimulation.shops(null));
        Files.writeString(f, "# none\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StairSimulation.shops(f.toString())).getMessage().contains("lists no store"));
    }

    @Test
    void theRouteMapsDefaultAudienceIsTheReferenceServices() {
        assertEquals(SessionTokens.DEFAULT_AUDIENCE, RouteMap.DEFAULT_API_KEY);
    }
}

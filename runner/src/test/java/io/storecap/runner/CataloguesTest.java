package io.storecap.runner;

import io.storecap.model.AntiPattern;
import io.storecap.model.ServiceMode;
import io.storecap.service.ServiceConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service (the system under test) keeps its own list of the anti-patterns it emulates, since it
 * does not depend on the model; the model's {@link AntiPattern} is the catalogue. They must agree.
 */
class CataloguesTest {

    @Test
    void everyPatternTheServiceEmulatesIsInTheCatalogueAndEveryServiceSidePatternIsEmulated() {
        for (ServiceConfig.Pattern p : ServiceConfig.Pattern.values()) {
            if (p == ServiceConfig.Pattern.NONE) continue;
            assertTrue(AntiPattern.find(p.id()) != null, p.id() + " is emulated by the service but not in the catalogue");
        }
        for (AntiPattern a : AntiPattern.values()) {
            boolean emulated = Arrays.stream(ServiceConfig.Pattern.values()).anyMatch(p -> p.id().equals(a.id()));
            // the harness, not the service, runs the cron jobs beside the pooler
            assertEquals(a != AntiPattern.CRON_BESIDE_POOLER, emulated, a.id());
        }
        assertEquals(AntiPattern.ids(), StudyConfig.KNOWN_PATTERNS);
        assertFalse(StudyConfig.appliesTo("cron-beside-pooler", io.storecap.model.Route.DIRECT));
        assertThrows(IllegalArgumentException.class, () -> AntiPattern.of("n-plus-one"));
    }

    @Test
    void modesReadAsTheServiceWritesThem() {
        assertEquals(ServiceMode.SERVERLESS, ServiceMode.of("serverless"));
        assertEquals("server", ServiceMode.SERVER.id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServiceMode.of("lambda"));
        assertTrue(e.getMessage().contains("serverless or server, was lambda"), e.getMessage());
    }
}

package io.storecap.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kill-and-restart fault in the test suite: PgBouncer killed mid-stair and started again. The run
 * must finish, the fault must show (requests failed while it was down), and with Shopify's retries
 * every acknowledged webhook must be stored exactly once. The rest of the suite runs with
 * {@code ./storecap faults}.
 */
class FaultIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void pgbouncerKilledMidRunLosesNoWebhook(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        FaultSuite suite = new FaultSuite(new PrintStream(log, true), ROOT);
        List<FaultSuite.Outcome> outcomes = suite.run(List.of("pgbouncer-kill"), List.of(150, 300), 8, dir, false);
        String printed = log.toString();
        assertEquals(1, outcomes.size(), printed);
        FaultSuite.Outcome o = outcomes.get(0);
        assertTrue(o.finished(), printed);
        assertTrue(o.failed() > 0, "requests failed while PgBouncer was down, so the fault really happened:\n" + printed);
        assertEquals(0, o.webhooks().lost(), "no acknowledged webhook lost:\n" + printed);
        assertEquals(0, o.webhooks().duplicated(), "no webhook stored twice:\n" + printed);
        assertEquals(o.webhooks().sent(), o.webhooks().acknowledged(), "Shopify's retries got every webhook acknowledged:\n" + printed);
        assertTrue(o.passed(), o.why());
    }

    /**
     * A deploy at the peak and a build-up of zombies (issue 13): every instance retired at once while
     * the old connections linger on Postgres. Both runs finish with every acknowledged webhook stored
     * exactly once, and the service really counted the deploys.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"deploy-mid-peak", "zombie-build-up"})
    void deploysAndLingeringConnectionsLoseNoWebhook(String fault, @TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        FaultSuite suite = new FaultSuite(new PrintStream(log, true), ROOT);
        List<FaultSuite.Outcome> outcomes = suite.run(List.of(fault), List.of(150, 300), 8, dir, false);
        String printed = log.toString();
        FaultSuite.Outcome o = outcomes.get(0);
        assertTrue(o.finished(), printed);
        assertEquals("direct", o.route(), "a deploy's reconnect storm is seen by Postgres itself");
        assertEquals(0, o.webhooks().lost(), "no acknowledged webhook lost:\n" + printed);
        assertEquals(0, o.webhooks().duplicated(), "no webhook stored twice:\n" + printed);
        assertEquals(o.webhooks().sent(), o.webhooks().acknowledged(), "Shopify's retries got every webhook acknowledged:\n" + printed);
        assertTrue(o.passed(), o.why());
        String service = java.nio.file.Files.readString(dir.resolve(fault).resolve("service.log"));
        assertTrue(service.contains("every function instance retired"), "the service logged its deploys:\n" + service.lines().limit(40).toList());
    }
}

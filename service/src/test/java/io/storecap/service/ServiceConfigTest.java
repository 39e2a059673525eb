package io.storecap.service;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings: defaults, validation messages that name the setting, derived URL and limit, masking. */
class ServiceConfigTest {
    static final String[] BASE = {"--jdbc-url=jdbc:postgresql://127.0.0.1:5432/storecap", "--db-user=app",
            "--app-secret=secret-123", "--admin-token=token-123"};

    static ServiceConfig parse(String... extra) {
        String[] all = new String[BASE.length + extra.length];
        System.arraycopy(BASE, 0, all, 0, BASE.length);
        System.arraycopy(extra, 0, all, BASE.length, extra.length);
        return ServiceConfig.parse(all, Map.of());
    }

    @Test
    void defaults() {
        ServiceConfig c = parse();
        assertEquals("immediate", c.webhooks().mode());
        assertEquals(2, c.webhooks().workers());
        assertFalse(c.cache().enabled());
        assertEquals(300, c.cache().ttlSeconds());
        assertTrue(c.indexes() && c.keepAlive() && c.preparedStatements());
        assertEquals(ServiceConfig.Pattern.NONE, c.antiPattern().pattern());
        assertEquals(5, c.effectiveConnectionLimit());
        assertEquals(300, c.antiPattern().externalCallMs());
        assertEquals(50, c.antiPattern().leakEvery());
        assertEquals(30_000, c.antiPattern().leakMs());
        assertEquals(SessionTokens.DEFAULT_AUDIENCE, c.apiKey());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/storecap", c.effectiveJdbcUrl());
    }

    @Test
    void derivedSettings() {
        assertEquals("jdbc:postgresql://127.0.0.1:5432/storecap?prepareThreshold=0", parse("--prepared-statements=off").effectiveJdbcUrl());
        ServiceConfig withQuery = ServiceConfig.parse(new String[]{"--jdbc-url=jdbc:postgresql://h/db?ssl=false", "--db-user=app",
                "--app-secret=secret-123", "--admin-token=token-123", "--prepared-statements=off"}, Map.of());
        assertEquals("jdbc:postgresql://h/db?ssl=false&prepareThreshold=0", withQuery.effectiveJdbcUrl());
        assertEquals(9, parse("--pattern=default-limit-fanout").effectiveConnectionLimit(), "Prisma's default with 4 vCPUs");
        assertEquals(5, parse("--pattern=default-limit-fanout", "--vcpus=2").effectiveConnectionLimit());
        assertEquals(5, parse("--pattern=client-per-request").effectiveConnectionLimit());
        assertEquals(ServiceConfig.Pattern.IDLE_IN_TX_LEAK, parse("--pattern=idle-in-tx-leak").antiPattern().pattern());
        assertTrue(parse("--webhook-mode=queued", "--webhook-workers=0").webhooks().queued());
    }

    @Test
    void badValuesNameTheSettingAndTheFix() {
        assertMessage("--webhook-mode must be immediate or queued", "--webhook-mode=later");
        assertMessage("--webhook-workers must be 0..64", "--webhook-workers=-1");
        assertMessage("--dashboard-cache=on needs --redis-url", "--dashboard-cache=on");
        assertMessage("--redis-url must look like redis://", "--redis-url=http://x");
        assertMessage("--keep-alive must be on or off", "--keep-alive=maybe");
        assertMessage("--pattern must be one of none, client-per-request", "--pattern=everything");
        assertMessage("--leak-every must be > 0", "--leak-every=0");
        assertMessage("--vcpus must be 1..64", "--vcpus=0");
        assertMessage("--external-call-ms must be 0..60000", "--external-call-ms=-5");
        assertMessage("unknown setting --colour", "--colour=blue");
        assertMessage("--webhook-workers must be a whole number", "--webhook-workers=two");
    }

    static void assertMessage(String expected, String arg) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(arg));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void secretsAreNeverDescribed() {
        ServiceConfig c = ServiceConfig.parse(new String[]{"--jdbc-url=jdbc:postgresql://h/db?user=a&password=hunter22&ssl=true",
                "--db-user=app", "--db-password=pw-secret-1", "--app-secret=app-secret-1", "--admin-token=admin-secret-1",
                "--dashboard-cache=on", "--redis-url=redis://user:redis-secret-1@127.0.0.1:6379"}, Map.of());
        String shown = c.toString() + c.describe();
        for (String s : new String[]{"hunter22", "pw-secret-1", "app-secret-1", "admin-secret-1", "redis-secret-1"})
            assertFalse(shown.contains(s), "describe() shows " + s + ": " + shown);
        assertTrue(shown.contains("password=***") && shown.contains("redis://user:***@127.0.0.1:6379"), shown);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServiceConfig.parse(
                new String[]{"--jdbc-url=mysql://h/db?password=hunter22", "--db-user=a", "--app-secret=secret-123", "--admin-token=token-123"}, Map.of()));
        assertFalse(e.getMessage().contains("hunter22"), e.getMessage());
    }

    @Test
    void environmentFillsGaps() {
        ServiceConfig c = ServiceConfig.parse(new String[]{"--jdbc-url=jdbc:postgresql://h/db", "--db-user=a"},
                Map.of("STORECAP_APP_SECRET", "secret-123", "STORECAP_ADMIN_TOKEN", "token-123", "STORECAP_WEBHOOK_MODE", "queued"));
        assertEquals("queued", c.webhooks().mode());
    }
}

package io.storecap.service;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.storecap.service.ServiceConfigTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accelerate's settings: the documented defaults, each plan's ceilings, and messages that name the fix. */
class AccelerateSettingsTest {
    static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void offByDefaultAndTheDocumentedDefaultsWhenOn() {
        assertEquals(AccelerateSettings.OFF, parse().accelerate());
        assertFalse(parse().describe().containsKey("accelerate"), "run.json says nothing of Accelerate when it is off");
        AccelerateSettings a = parse("--accelerate=on").accelerate();
        assertTrue(a.enabled());
        assertEquals(AccelerateSettings.Plan.STARTER, a.plan());
        assertEquals(10, a.connections());
        assertEquals(10_000, a.queryTimeoutMs(), "Accelerate's default global query timeout");
        assertEquals(15_000, a.transactionTimeoutMs(), "its interactive transaction timeout");
        assertEquals(5L * 1024 * 1024, a.responseLimitBytes(), "its 5 MB response limit");
        Map<String, Object> d = parse("--accelerate=on").describe();
        assertEquals("on", d.get("accelerate"));
        assertEquals(10, d.get("accelerateConnections"));
    }

    @Test
    void eachPlanCapsThePoolAndTheLimits() {
        assertEquals(100, parse("--accelerate=on", "--accelerate-plan=pro", "--accelerate-connections=100").accelerate().connections());
        assertEquals(1000, parse("--accelerate=on", "--accelerate-plan=business", "--accelerate-connections=1000").accelerate().connections());
        assertEquals(60_000, parse("--accelerate=on", "--accelerate-plan=business", "--accelerate-query-timeout-ms=60000").accelerate().queryTimeoutMs());
        assertMessage("--accelerate-connections must be 1..10 on the starter plan, was 11; a larger pool needs a larger --accelerate-plan",
                "--accelerate=on", "--accelerate-connections=11");
        assertMessage("--accelerate-connections must be 1..100 on the pro plan", "--accelerate-plan=pro", "--accelerate-connections=101");
        assertMessage("--accelerate-query-timeout-ms must be 1..10000 on the starter plan", "--accelerate-query-timeout-ms=20000");
        assertMessage("--accelerate-query-timeout-ms must be 1..20000 on the pro plan", "--accelerate-plan=pro", "--accelerate-query-timeout-ms=20001");
        assertMessage("--accelerate-tx-timeout-ms must be 1..15000 on the starter plan", "--accelerate-tx-timeout-ms=30000");
        assertMessage("--accelerate-response-limit-bytes must be 1..10485760 on the pro plan", "--accelerate-plan=pro",
                "--accelerate-response-limit-bytes=10485761");
    }

    @Test
    void badValuesNameTheSettingAndTheFix() {
        assertMessage("--accelerate-plan must be starter, pro or business", "--accelerate-plan=enterprise");
        assertMessage("--accelerate must be on or off", "--accelerate=maybe");
        assertMessage("--accelerate-hop-ms must be 0..10000", "--accelerate-hop-ms=-1");
        assertMessage("--accelerate=on replaces the function instances' own connections", "--accelerate=on", "--mode=server");
    }
}

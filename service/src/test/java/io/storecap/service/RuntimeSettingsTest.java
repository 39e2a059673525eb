package io.storecap.service;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.storecap.service.ServiceConfigTest.assertMessage;
import static io.storecap.service.ServiceConfigTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runtime settings of issue 13: defaults keep the earlier behaviour, bad values name the setting and the fix. */
class RuntimeSettingsTest {
    @Test
    void defaultsAreTheEarlierBehaviour() {
        assertEquals(RuntimeSettings.DEFAULTS, parse().runtime());
        assertEquals(5, parse().effectiveConnectionLimit());
    }

    @Test
    void everySettingParsesAndIsDescribed() {
        ServiceConfig c = parse("--dispatch=random", "--dispatch-seed=42", "--zombie-hold-ms=30000", "--pool=prisma7",
                "--attach-database-pool=on", "--connect-rtts=8", "--compute-wake-ms=500", "--deploys-per-hour=2.5");
        RuntimeSettings r = c.runtime();
        assertEquals(new RuntimeSettings(RuntimeSettings.Dispatch.RANDOM, 42, 30_000, RuntimeSettings.Pool.PRISMA7, true, 8, 500, 2.5), r);
        Map<String, Object> d = c.describe();
        assertEquals("random", d.get("dispatch"));
        assertEquals(42, d.get("dispatchSeed"));
        assertEquals(30_000L, d.get("zombieHoldMs"));
        assertEquals("prisma7", d.get("pool"));
        assertEquals("on", d.get("attachDatabasePool"));
        assertEquals(8, d.get("connectRtts"));
        assertEquals(500L, d.get("computeWakeMs"));
        assertEquals(2.5, d.get("deploysPerHour"));
        assertEquals(10, d.get("connectionLimit"), "Prisma 7's pg Pool: max 10 whatever connection_limit says");
        assertTrue(parse().describe().keySet().containsAll(RuntimeSettings.DEFAULTS.describe().keySet()), "run.json records them by default too");
    }

    @Test
    void prisma7IgnoresConnectionLimit() {
        assertEquals(10, parse("--pool=prisma7", "--connection-limit=2").effectiveConnectionLimit());
        assertEquals(10, parse("--pool=prisma7", "--pattern=default-limit-fanout", "--vcpus=1").effectiveConnectionLimit());
        assertEquals(3, parse("--pattern=default-limit-fanout", "--vcpus=1").effectiveConnectionLimit(), "Prisma 6 on 1 vCPU: 2 x 1 + 1");
    }

    @Test
    void badValuesNameTheSettingAndTheFix() {
        assertMessage("--dispatch must be mru, lru or random", "--dispatch=round-robin");
        assertMessage("--dispatch-seed must be a whole number", "--dispatch-seed=x");
        assertMessage("--zombie-hold-ms must be 0..3600000", "--zombie-hold-ms=-1");
        assertMessage("--pool must be prisma6 or prisma7", "--pool=prisma5");
        assertMessage("--attach-database-pool=on needs --pool=prisma7", "--attach-database-pool=on");
        assertMessage("--attach-database-pool must be on or off", "--attach-database-pool=sometimes");
        assertMessage("--connect-rtts must be 0..100", "--connect-rtts=-2");
        assertMessage("--compute-wake-ms must be 0..60000", "--compute-wake-ms=120000");
        assertMessage("--deploys-per-hour must be 0..3600", "--deploys-per-hour=-1");
        assertMessage("--deploys-per-hour must be a number", "--deploys-per-hour=often");
    }
}

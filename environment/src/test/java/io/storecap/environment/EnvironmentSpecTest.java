package io.storecap.environment;

import io.storecap.model.Tier;
import io.storecap.model.TiersFile;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spec's sizes, its validation messages, and the external provider's refusal of remote targets. */
class EnvironmentSpecTest {

    static Map<String, Tier> tiers() { return TiersFile.load(Path.of("..", "config", "tiers.yaml")); }

    @Test
    void neonComputeUnitsBecomeCpuAndMemoryLimits() {
        EnvironmentSpec quarter = EnvironmentSpec.forTier(tiers().get("neon-0.25cu"));
        assertEquals(0.25, quarter.cpus(), 1e-9, "0.25 CU = 1/4 vCPU");
        assertEquals(1024, quarter.memoryMb(), "0.25 CU = 1 GiB");
        assertEquals(104, quarter.maxConnections());
        assertEquals(7, quarter.reserved());
        EnvironmentSpec one = EnvironmentSpec.forTier(tiers().get("neon-1cu"));
        assertEquals(1.0, one.cpus(), 1e-9);
        assertEquals(4096, one.memoryMb(), "1 CU = 4 GiB");
        EnvironmentSpec free = EnvironmentSpec.forTier(tiers().get("free"));
        assertEquals(0.25, free.cpus(), 1e-9, "the plan's Free (100 connections) stands for Neon's 0.25 CU (104)");
        assertEquals(0.5, EnvironmentSpec.forTier(tiers().get("launch")).cpus(), 1e-9, "Launch (200) for 0.5 CU (209)");
        assertEquals(3, EnvironmentSpec.forTier(tiers().get("scale")).cpus(), 1e-9, "Scale (1000) for 3 CU (1258; 2 CU holds 839)");
        assertEquals(90, free.effectivePoolSize(), "pool defaults to 0.9 x max_connections, as Neon's PgBouncer");
    }

    @Test
    void validationNamesTheProblem() {
        EnvironmentSpec d = EnvironmentSpec.defaults();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withMaxConnections(10, 10)).getMessage().contains("reserved"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withMaxConnections(20, 3).withPoolSize(18)).getMessage()
                .contains("usable connections"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withLimits(0.5, 100)).getMessage().contains("memoryMb"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withProvider(Provider.EXTERNAL)).getMessage().contains("withExternal"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Provider.parse("docker")).getMessage()
                .contains("auto, local, containers, external"));
        assertEquals(Provider.CONTAINERS, Provider.parse(" Containers "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EnvironmentSpec.External.of("postgres://x/y", "u", "p"))
                .getMessage().contains("jdbc:postgresql://"));
    }

    @Test
    void remoteExternalTargetIsRefusedUnlessAllowed() {
        EnvironmentSpec.External remote = EnvironmentSpec.External.of("jdbc:postgresql://db.example.com:5432/app?sslmode=require", "app", "pw");
        EnvironmentSpec spec = EnvironmentSpec.defaults().withExternal(remote);
        EnvironmentException e = assertThrows(EnvironmentException.class, () -> Environments.start(spec));
        assertTrue(e.getMessage().contains("db.example.com") && e.getMessage().contains("allowRemote"), e.getMessage());
        // the refusal is the target check itself, which only parses URLs (opens no socket, looks up no name)
        EnvironmentException direct = assertThrows(EnvironmentException.class, () -> ExternalEnvironment.allowedTargets(remote));
        assertEquals(e.getMessage(), direct.getMessage());
        assertEquals(List.of("db.example.com"), ExternalEnvironment.allowedTargets(remote.withAllowRemote(true)).stream()
                .map(ExternalEnvironment.Target::host).toList(), "allowed when asked for, still without contacting it");
        assertFalse(spec.external().toString().contains("pw"), "no password in the spec's text");
    }

    /**
     * A remote pooled URL beside a direct URL on this machine: the refusal must come before the
     * direct target is contacted. The direct URL points at a listening socket nobody accepts on; a
     * connection attempt would sit in its backlog, so accept() finding none shows none was made.
     */
    @Test
    void refusalComesBeforeAnyTargetIsContacted() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            EnvironmentSpec spec = EnvironmentSpec.defaults().withExternal(EnvironmentSpec.External
                    .of("jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/app", "app", "pw")
                    .withPooledUrl("jdbc:postgresql://db.example.com:6432/app"));
            // a bound on a broken build, where start() would connect and wait for an answer that never comes
            EnvironmentException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> assertThrows(EnvironmentException.class, () -> Environments.start(spec)));
            assertTrue(e.getMessage().contains("db.example.com") && e.getMessage().contains("pooledUrl"), e.getMessage());
            server.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, () -> server.accept().close(),
                    "no connection reached the direct target's socket before the refusal");
        }
    }

    @Test
    void loopbackIsDecidedWithoutDns() {
        for (String h : new String[]{"localhost", "127.0.0.1", "127.1.2.3", "[::1]"})
            assertTrue(ExternalEnvironment.Target.parse("u", "jdbc:postgresql://" + h + ":5432/x").loopback(), h);
        for (String h : new String[]{"10.0.0.1", "192.168.1.2", "db.internal", "127.0.0.1.example.com"})
            assertFalse(ExternalEnvironment.Target.parse("u", "jdbc:postgresql://" + h + ":5432/x").loopback(), h);
    }
}

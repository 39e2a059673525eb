package io.storecap.environment;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real redis-server: answers on loopback, keeps nothing on disk, comes back after an outage, leaves nothing running. */
class LocalRedisIT {

    /** One inline Redis command over a raw socket (no client library in this module). */
    static String command(int port, String cmd) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write((cmd + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    @Test
    void startsAnswersRestartsAndStops() throws Exception {
        int port;
        long pid;
        try (LocalRedis redis = LocalRedis.create().start()) {
            port = redis.port();
            assertEquals("redis://127.0.0.1:" + port, redis.url());
            assertEquals("+PONG", command(port, "PING"));
            assertEquals("+OK", command(port, "SET k v"));
            assertEquals("$1", command(port, "GET k"));
            // no persistence: nothing is ever saved
            assertTrue(command(port, "CONFIG GET save").startsWith("*2"));

            redis.stop();
            assertFalse(redis.isRunning());
            assertThrows(java.io.IOException.class, () -> command(port, "PING"), "a stopped Redis refuses connections");
            redis.start();
            assertEquals(port, redis.port(), "a restart comes back on the same port");
            assertEquals("+PONG", command(port, "PING"));
            assertEquals("$-1", command(port, "GET k"), "and with nothing kept from before");
            pid = redis.process().pid();
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "no redis-server left behind");
        assertThrows(java.io.IOException.class, () -> command(port, "PING"));
    }

    @Test
    void withPortUsesThatPort() throws Exception {
        int p = Ports.free();
        try (LocalRedis redis = LocalRedis.create().withPort(p).start()) {
            assertEquals(p, redis.port());
            assertEquals("+PONG", command(p, "PING"));
        }
    }

    @Test
    void rejectsABadPort() {
        assertThrows(IllegalArgumentException.class, () -> LocalRedis.create().withPort(70000));
    }
}

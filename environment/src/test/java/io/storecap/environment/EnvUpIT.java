package io.storecap.environment;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** env up prints how to reach what it started, stops it, and names bad arguments. */
class EnvUpIT {

    static String run(int expectedExit, String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = EnvUp.run(args, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, code, out);
        return out;
    }

    @Test
    void printsDirectPooledAndAdminUrlsThenStops() {
        String out = run(0, "up", "--provider", "local", "--tier", "free", "--pooler", "--seconds", "1", "--tiers", "../config/tiers.yaml");
        assertTrue(out.contains("  direct     postgresql://storecap_app:"), out);
        assertTrue(out.contains("  pooled     postgresql://storecap_app:"), out);
        assertTrue(out.contains("  admin      postgresql://storecap_admin:") && out.contains("/pgbouncer"), out);
        assertTrue(out.contains("pgbench -c 50"), out);
        assertTrue(out.contains("max_connections 100 (3 reserved"), out);
        assertTrue(out.contains("stopped"), out);
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(run(2, "--tier", "nope", "--tiers", "../config/tiers.yaml").contains("unknown tier 'nope'"));
        assertTrue(run(2, "--provider", "docker", "--tiers", "../config/tiers.yaml").contains("unknown provider 'docker'"));
        assertTrue(run(2, "--tiers", "/nonexistent/tiers.yaml").contains("no tiers file"));
        assertTrue(run(2, "--frobnicate").contains("unknown option '--frobnicate'"));
    }
}

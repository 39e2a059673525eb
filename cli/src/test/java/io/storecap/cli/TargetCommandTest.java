package io.storecap.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code study --target}: a target on another machine is refused without --allow-remote before any
 * name is looked up or socket opened, and --plan prints the plan and sends nothing. Checked without
 * network: the "deployment" and its database are listening sockets nobody accepts on (a connection
 * attempt would wait in the backlog, where accept() finds it), and every host name the JVM resolves
 * or connects to is recorded while the command runs.
 */
class TargetCommandTest {
    static final String[] CONFIG = {"--claims", "../config/claims.yaml", "--tiers", "../config/tiers.yaml", "--profile", "../config/profile.yaml",
            "--study", "../config/study.yaml", "--routes", "../config/routes.yaml"};

    /** Runs the command line and returns its outcome and every host the JVM was asked to look up or connect to meanwhile. */
    @SuppressWarnings("removal")
    static Outcome watched(String... args) {
        List<String> contacted = Collections.synchronizedList(new ArrayList<>());
        SecurityManager before = System.getSecurityManager();
        try {
            System.setSecurityManager(new SecurityManager() {
                @Override public void checkPermission(java.security.Permission p) { /* everything allowed: only watching */ }
                @Override public void checkPermission(java.security.Permission p, Object context) { }
                @Override public void checkConnect(String host, int port) { contacted.add(host + ":" + port); }
                @Override public void checkConnect(String host, int port, Object context) { contacted.add(host + ":" + port); }
            });
        } catch (UnsupportedOperationException e) { // Java 18+ without -Djava.security.manager=allow
            assumeTrue(false, "this JVM cannot watch lookups and connects (no SecurityManager): " + e.getMessage());
        }
        try {
            List<String> line = new ArrayList<>(List.of(args));
            line.addAll(List.of(CONFIG));
            CliTest.Outcome o = CliTest.run(line.toArray(String[]::new));
            return new Outcome(o, List.copyOf(contacted));
        } finally {
            System.setSecurityManager(before);
        }
    }

    record Outcome(CliTest.Outcome cli, List<String> contacted) {}

    @Test
    void aRemoteTargetIsRefusedWithoutAllowRemoteBeforeAnyLookupOrConnect() throws Exception {
        try (ServerSocket db = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Outcome r = watched("study", "--target", "https://staging.example.invalid", "--db-url",
                    "postgresql://app@127.0.0.1:" + db.getLocalPort() + "/app", "--only", "free-pooled");
            assertEquals(2, r.cli().code(), r.cli().all());
            String m = r.cli().err();
            assertTrue(m.contains("refusing --target: staging.example.invalid is not this machine") && m.contains("add --allow-remote")
                    && m.contains("Nothing was sent and no name was looked up"), m);
            assertEquals(List.of(), r.contacted(), "no name looked up, no socket opened");
            db.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, () -> db.accept().close(), "the database was not contacted");
        }
        // the database on another machine, the app on this one: refused as well, naming the database
        Outcome r = watched("study", "--target", "http://127.0.0.1:9", "--db-url", "postgresql://app@db.example.invalid/app");
        assertEquals(2, r.cli().code(), r.cli().all());
        assertTrue(r.cli().err().contains("refusing --db-url: db.example.invalid is not this machine"), r.cli().err());
        assertEquals(List.of(), r.contacted());
    }

    @Test
    void planPrintsRatesDurationAndPeakAndSendsNothing() throws Exception {
        try (ServerSocket app = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocket db = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Outcome r = watched("study", "--quick", "--target", "http://127.0.0.1:" + app.getLocalPort(), "--db-url",
                    "postgresql://app@127.0.0.1:" + db.getLocalPort() + "/app", "--only", "free-direct", "--max-rps", "50", "--plan");
            assertEquals(0, r.cli().code(), r.cli().all());
            String out = r.cli().out();
            assertTrue(out.contains("the plan only, nothing is contacted or sent"), out);
            assertTrue(out.contains("hard cap: 50 requests in any second"), out);
            assertTrue(out.contains("free-direct (free, direct): starts at 22 stores = 0.7 requests a second"), out);
            assertTrue(out.matches("(?s).*duration: about \\d+ min, at most \\d+ min \\(it stops by itself\\); peak: 50 requests a second at most.*"), out);
            assertTrue(out.contains("webhook          POST   /webhooks/{topic}  auth shopify-hmac"), out);
            assertTrue(out.contains("not ready: kind 'webhook' is sent with auth shopify-hmac"), "the missing secret is said, not needed for a plan: " + out);
            assertEquals(List.of(), r.contacted(), "a plan contacts nothing");
            app.setSoTimeout(200);
            db.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, () -> app.accept().close(), "nothing was sent to the app");
            assertThrows(SocketTimeoutException.class, () -> db.accept().close(), "the database was not contacted");
        }
        // a remote target allowed: still only a plan, and no name looked up
        Outcome remote = watched("study", "--target", "https://staging.example.invalid", "--allow-remote", "--db-url",
                "postgresql://app@db.example.invalid/app", "--only", "free-direct", "--plan");
        assertEquals(0, remote.cli().code(), remote.cli().all());
        assertEquals(List.of(), remote.contacted());
    }

    @Test
    void targetOptionsAreCheckedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        CliTest.Outcome r = CliTest.run("study", "--plan");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--plan, --db-url, --pooled-db-url, --allow-remote, --stores, --env-file and --header go with --target URL"), r.err());
        r = CliTest.run("study", "--target", "http://127.0.0.1:9");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--db-url is required with --target"), r.err());
        r = CliTest.run("study", "--target", "ftp://127.0.0.1/x", "--db-url", "postgresql://a@127.0.0.1/b");
        assertTrue(r.err().contains("--target must be an http(s) URL"), r.err());
        r = CliTest.run("study", "--target", "http://127.0.0.1:9", "--db-url", "mysql://a@127.0.0.1/b");
        assertTrue(r.err().contains("--db-url must start with postgresql://"), r.err());
        r = CliTest.run("study", "--target", "http://127.0.0.1:9", "--db-url", "postgresql://a@127.0.0.1/b", "--max-rps", "0", "--plan",
                "--routes", "../config/routes.yaml");
        assertTrue(r.err().contains("--max-rps must be between 1 and 2000"), r.err());
        r = CliTest.run("study", "--target", "http://127.0.0.1:9", "--db-url", "postgresql://a@127.0.0.1/b", "--stair", "--plan",
                "--routes", "../config/routes.yaml", "--claims", "../config/claims.yaml", "--tiers", "../config/tiers.yaml",
                "--profile", "../config/profile.yaml", "--study", "../config/study.yaml");
        assertTrue(r.err().contains("--stair, --patterns, --runtime and the burst and soak scenarios switch the reference service's emulation"), r.err());

        Path env = dir.resolve(".env");
        Files.writeString(env, "# the app's\nexport SHOPIFY_API_SECRET=\"s3cret\"\nSTORECAP_ADMIN_TOKEN='tok'\nPGPASSWORD=pw\nBROKEN\n");
        assertEquals(Map.of("SHOPIFY_API_SECRET", "s3cret", "STORECAP_ADMIN_TOKEN", "tok", "PGPASSWORD", "pw"), TargetOptions.dotenv(env));
        assertFalse(CliTest.run("study", "--help").out().isBlank());
        assertTrue(CliTest.run("study", "--help").out().contains("--allow-remote"));
    }

    @Test
    void aHeaderIsNameColonValueAndItsSecretComesFromTheEnvironment() {
        Map<String, String> h = TargetOptions.headers(List.of("x-vercel-protection-bypass: ${BYPASS}", "x-team: a:b"), Map.of("BYPASS", "s3cret"));
        assertEquals(Map.of("x-vercel-protection-bypass", "s3cret", "x-team", "a:b"), h, "the first colon splits; a value may hold more");
        IllegalArgumentException unset = assertThrows(IllegalArgumentException.class,
                () -> TargetOptions.headers(List.of("x-vercel-protection-bypass: ${NOPE}"), Map.of()));
        assertTrue(unset.getMessage().contains("${NOPE} is not set"), unset.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TargetOptions.headers(List.of("no colon here"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> TargetOptions.headers(List.of("X-A: 1", "x-a: 2"), Map.of()), "twice");
    }

    @Test
    void aHeaderWithoutATargetIsRefused() {
        CliTest.Outcome o = CliTest.run("study", "--quick", "--header", "x-a: 1");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--header go with --target"), o.err());
    }

    @Test
    void providerIsRefusedWithATargetInsteadOfIgnored() {
        Outcome o = watched("study", "--target", "http://127.0.0.1:9", "--db-url", "postgresql://monitor@127.0.0.1:9/app", "--provider", "containers",
                "--plan");
        assertEquals(2, o.cli().code(), o.cli().err());
        assertTrue(o.cli().err().contains("drop --provider"), o.cli().err());
        assertTrue(o.contacted().isEmpty(), "refused before anything is contacted: " + o.contacted());
    }
}

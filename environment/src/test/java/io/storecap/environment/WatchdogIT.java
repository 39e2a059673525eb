package io.storecap.environment;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A harness JVM killed with SIGKILL runs no shutdown hook; its Postgres, PgBouncer and Redis must
 * still stop, because the watchdog sees the JVM's pipe close.
 */
class WatchdogIT {

    @Test
    void childrenOfAKilledHarnessStop() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process harness = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashTarget.class.getName())
                .redirectErrorStream(true).start();
        List<Long> pids = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(harness.getInputStream()))) {
            long deadline = System.currentTimeMillis() + 60_000;
            String line;
            while (System.currentTimeMillis() < deadline && (line = r.readLine()) != null) {
                if (line.startsWith("PIDS ")) {
                    pids = Arrays.stream(line.substring(5).trim().split(" ")).map(Long::parseLong).toList();
                    break;
                }
            }
            assertNotNull(pids, "the stand-in harness started its children");
            for (long pid : pids) assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " runs");

            harness.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(harness.waitFor(10, TimeUnit.SECONDS));
            List<Long> children = pids;
            Await.until(Duration.ofSeconds(15), () -> children.stream().noneMatch(WatchdogIT::alive),
                    () -> "postmaster, pgbouncer and redis-server stop after the harness is killed; still running: "
                            + children.stream().filter(WatchdogIT::alive).toList());
        } finally {
            harness.destroyForcibly();
            if (pids != null) for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    static boolean alive(long pid) { return ProcessHandle.of(pid).map(Watchdog::isRunning).orElse(false); }
}

package io.storecap.environment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finding the binaries the harness runs, and stopping the processes it started, one way for all of them. */
final class ChildProcesses {
    private ChildProcesses() {}

    /**
     * The executable {@code name}: {@code $envVar} if set, else the first on PATH, else the first of
     * {@code fallbacks}; or an error naming where it looked and how to install it.
     */
    static Path find(String name, String envVar, List<String> fallbacks, String installHint) {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv(envVar);
        if (env != null && !env.isBlank()) candidates.add(Path.of(env));
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) if (!d.isEmpty()) candidates.add(Path.of(d, name));
        for (String f : fallbacks) candidates.add(Path.of(f));
        for (Path p : candidates) if (Files.isExecutable(p)) return p;
        throw new EnvironmentException(name + " is not installed (looked on PATH, in " + String.join(", ", fallbacks)
                + " and $" + envVar + "). Install it: " + installHint + ", or set " + envVar + " to its path.");
    }

    /** The last five lines of a log file joined on one line, for an error message; empty when there is none. */
    static String tail(Path f) {
        try {
            if (!Files.exists(f)) return "";
            List<String> lines = Files.readAllLines(f);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /**
     * Deletes a temporary folder and what is in it, as far as it can: a file that vanishes meanwhile
     * (a server removing its pid file as it exits) or one that cannot be removed is left to the OS.
     * Safe to call with null.
     */
    static void deleteTree(Path dir) {
        if (dir == null) return;
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    /**
     * SIGTERM, up to {@code graceSeconds} to exit, then SIGKILL; and the watchdog forgets it. Safe
     * to call with null.
     */
    static void stop(Process p, long graceSeconds) {
        if (p == null) return;
        p.destroy();
        try {
            if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Watchdog.release(p.pid());
    }
}

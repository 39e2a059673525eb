package io.storecap.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Headless Debian chromium, bounded: every call has a timeout and the process is destroyed on failure. */
final class Chromium {
    private Chromium() {}

    static final long TIMEOUT_SECONDS = 90;

    static Optional<Path> find() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium")) {
            Path x = Path.of(p);
            if (Files.isExecutable(x)) return Optional.of(x);
        }
        return Optional.empty();
    }

    /** Renders the file and writes a screenshot of the first screen (width x height). */
    static void screenshot(Path chromium, Path html, Path png, int width, int height) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        args.add("--screenshot=" + png.toAbsolutePath());
        args.add("--window-size=" + width + "," + height);
        args.add("--hide-scrollbars");
        run(chromium, html, args);
    }

    /** The DOM after rendering, as chromium serialises it. */
    static String dumpDom(Path chromium, Path html) throws IOException, InterruptedException {
        return run(chromium, html, List.of("--dump-dom"));
    }

    private static String run(Path chromium, Path html, List<String> extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("storecap-chromium-");
        Path out = Files.createTempFile("storecap-chromium-", ".out");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--disable-extensions", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
        cmd.addAll(extra);
        cmd.add(html.toAbsolutePath().toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                throw new IOException("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + String.join(" ", cmd));
            if (p.exitValue() != 0) throw new IOException("chromium exited " + p.exitValue() + ": " + String.join(" ", cmd));
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(out);
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException ignored) {
            // a temp profile left behind is harmless
        }
    }
}

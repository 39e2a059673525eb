package io.storecap.environment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks whether Docker can be used before Testcontainers is touched. Testcontainers, asked on a
 * machine without a registry, would start Ryuk or (because of /.dockerenv) an alpine container to
 * find the gateway and hang for minutes pulling them; so the preconditions are checked here first,
 * over the engine's Unix socket with a plain HTTP request, and each failure names the fix.
 */
final class DockerAccess {
    static final String BUILD_SCRIPT = "docker/build-images.sh";

    private DockerAccess() {}

    /** The engine's socket, or null when DOCKER_HOST points elsewhere (tcp://, ssh://): then Testcontainers decides. */
    static Path socket() {
        String host = System.getenv("DOCKER_HOST");
        if (host == null || host.isBlank()) return Path.of("/var/run/docker.sock");
        if (host.startsWith("unix://")) return Path.of(host.substring("unix://".length()));
        return null;
    }

    /** Whether the containers provider can run with {@code spec}'s images. Takes a few milliseconds. */
    static DockerStatus probe(EnvironmentSpec spec) {
        Path sock = socket();
        if (sock != null) {
            if (!Files.exists(sock))
                return new DockerStatus(false, false, "the Docker engine is not running (no socket at " + sock + ")",
                        "Start it: as root, " + BUILD_SCRIPT + " installs Docker if needed, starts dockerd and builds the images;"
                                + " elsewhere 'sudo systemctl start docker' (or start Docker Desktop), then " + BUILD_SCRIPT);
            int ping;
            try {
                ping = get(sock, "/_ping").status;
            } catch (IOException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                boolean denied = why.toLowerCase(java.util.Locale.ROOT).contains("permission");
                return new DockerStatus(false, false, "the Docker engine at " + sock + " does not answer: " + why,
                        denied ? "Let this user use it: 'sudo usermod -aG docker $USER' and log in again, or run as root"
                                : "Start it: as root, " + BUILD_SCRIPT + " (starts dockerd), or 'sudo systemctl start docker'");
            }
            if (ping != 200)
                return new DockerStatus(false, false, "the Docker engine at " + sock + " answered /_ping with HTTP " + ping,
                        "Check the engine's log, restart it, then retry");
        }
        // Testcontainers settings that, when missing on a machine like this, make it pull images and hang
        if (Files.exists(Path.of("/.dockerenv")) && blank(System.getenv("TESTCONTAINERS_HOST_OVERRIDE")))
            return new DockerStatus(true, false, "TESTCONTAINERS_HOST_OVERRIDE is not set and this machine has /.dockerenv,"
                    + " so Testcontainers would think it runs in a container and pull alpine to find its host",
                    "Export TESTCONTAINERS_HOST_OVERRIDE=localhost (the ./storecap wrapper and the Maven build set it)");
        if (!"true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED")) && sock != null
                && !imageExists(sock, org.testcontainers.utility.TestcontainersConfiguration.getInstance().getRyukImage()))
            return new DockerStatus(true, false, "TESTCONTAINERS_RYUK_DISABLED is not true and the Ryuk image is not here to start",
                    "Export TESTCONTAINERS_RYUK_DISABLED=true (storecap removes its own containers; the ./storecap wrapper and the Maven build set it)");
        if (sock != null) {
            for (String image : List.of(spec.postgresImage(), spec.pgbouncerImage())) {
                if (!imageExists(sock, image))
                    return new DockerStatus(true, false, "the image " + image + " is missing",
                            "Build it: " + BUILD_SCRIPT + " (about 40 s the first time, offline-capable; with a registry: "
                                    + BUILD_SCRIPT + " --pull)");
            }
        }
        return DockerStatus.ok();
    }

    static boolean imageExists(Path sock, String image) {
        try {
            return get(sock, "/images/" + image + "/json").status == 200;
        } catch (IOException e) {
            return false;
        }
    }

    record Response(int status, String body) {}

    /** GET over the Unix socket, HTTP/1.0 so the engine closes the connection after the answer; 5 s at most. */
    static Response get(Path sock, String path) throws IOException {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "docker-probe");
            t.setDaemon(true);
            return t;
        });
        SocketChannel[] open = new SocketChannel[1];
        try {
            Future<Response> f = ex.submit(() -> {
                try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                    open[0] = ch;
                    ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    ByteBuffer buf = ByteBuffer.allocate(8192);
                    while (ch.read(buf) >= 0) {
                        all.write(buf.array(), 0, buf.position());
                        buf.clear();
                        if (all.size() > 1 << 20) break;
                    }
                    String text = all.toString(StandardCharsets.UTF_8);
                    String[] status = text.split("\r\n", 2)[0].split(" ");
                    if (status.length < 2 || !status[0].startsWith("HTTP/")) throw new IOException("not an HTTP answer: " + text.lines().findFirst().orElse(""));
                    int bodyAt = text.indexOf("\r\n\r\n");
                    return new Response(Integer.parseInt(status[1]), bodyAt < 0 ? "" : text.substring(bodyAt + 4));
                }
            });
            return f.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            try {
                if (open[0] != null) open[0].close();
            } catch (IOException ignored) {
                // closing to unblock the reader
            }
            throw new IOException("no answer within 5 s");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            throw new IOException(c.toString(), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            ex.shutdownNow();
        }
    }

    /** Where docker/build-images.sh is: -Dstorecap.root, else the working directory or one of its parents. */
    static Path buildScript() {
        String root = System.getProperty("storecap.root");
        if (root != null && Files.isRegularFile(Path.of(root, BUILD_SCRIPT))) return Path.of(root, BUILD_SCRIPT);
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent())
            if (Files.isRegularFile(d.resolve(BUILD_SCRIPT))) return d.resolve(BUILD_SCRIPT);
        return null;
    }

    /** Runs the build script (no lock: a caller inside a locked build would wait for itself); true when it succeeded. */
    static boolean runBuildScript(Path script, java.util.function.Consumer<String> progress) {
        try {
            Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) progress.accept(line);
            }
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            progress.accept("cannot run " + script + ": " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean blank(String s) { return s == null || s.isBlank(); }
}

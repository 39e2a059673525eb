package io.storecap.cli.fidelity;

import io.storecap.environment.Cleanup;
import io.storecap.environment.EnvironmentException;
import io.storecap.environment.PostgresHandle;
import io.storecap.environment.Watchdog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The real thing: {@code node fidelity/instance.js}, one PrismaClient with {@code @prisma/adapter-pg}
 * (a node-postgres Pool with its defaults) as a function instance builds it, driven over stdin. Its
 * connections carry the application_name {@link #APPLICATION_NAME}; the password goes in the
 * environment (DATABASE_URL), never on the command line. Registered with {@link Cleanup} and the
 * {@link Watchdog}, so it is killed when the command ends, fails or is interrupted.
 */
final class RealInstance implements Side {
    static final String APPLICATION_NAME = "storecap-fidelity-real";
    private static final long READY_TIMEOUT_S = 60, QUERY_TIMEOUT_S = 120;

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private String ready = "";

    private RealInstance(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Starts the Node process and waits for its READY line (the client is built; no connection yet). */
    static RealInstance start(Path node, Path project, PostgresHandle pg, Path log) {
        String url = "postgresql://" + enc(pg.appUser()) + ":" + enc(pg.appPassword()) + "@" + pg.host() + ":" + pg.port()
                + "/" + enc(pg.database()) + "?application_name=" + APPLICATION_NAME;
        ProcessBuilder pb = new ProcessBuilder(node.toString(), "instance.js").directory(project.toFile()).redirectErrorStream(true);
        pb.environment().put("DATABASE_URL", url);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new EnvironmentException("cannot start " + node + " instance.js in " + project + ": " + e.getMessage(), e);
        }
        Watchdog.watch(p.pid());
        RealInstance r = Cleanup.register(new RealInstance(p));
        Thread pump = new Thread(() -> r.pump(log), "fidelity-node-" + p.pid());
        pump.setDaemon(true);
        pump.start();
        try {
            r.ready = r.await("READY", READY_TIMEOUT_S);
            return r;
        } catch (RuntimeException e) {
            Cleanup.close(r);
            throw e;
        }
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"); }

    private void pump(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer w = Files.newBufferedWriter(log)) {
            String line;
            while ((line = in.readLine()) != null) {
                w.write(line);
                w.write('\n');
                w.flush();
                lines.add(line);
            }
        } catch (IOException e) {
            // the process went away (as the reclaim case makes it); what it said is in the log
        }
        lines.add("EXIT");
    }

    /** The next line starting with {@code word}; an ERROR line, the process's exit or the timeout fail. */
    private String await(String word, long timeoutS) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        StringBuilder said = new StringBuilder();
        while (true) {
            String line;
            try {
                line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the Node instance");
            }
            if (line == null) throw new IllegalStateException("the Node instance did not answer " + word + " within " + timeoutS + " s: " + said);
            if (line.startsWith(word)) return line;
            if (line.startsWith("ERROR") || line.equals("EXIT"))
                throw new IllegalStateException("the Node instance (Prisma 7) failed: " + said + line.replace("EXIT", "it exited"));
            if (said.length() < 2000) said.append(line).append(" | ");
        }
    }

    /** What the READY line said: the package versions it runs. */
    String versions() { return ready.replaceFirst("^READY \\d+ ", ""); }

    long pid() { return process.pid(); }

    @Override public String label() { return "real"; }

    @Override public String applicationName() { return APPLICATION_NAME; }

    @Override
    public void query(int n, int sleepMs) throws IOException {
        stdin.write("query " + n + " " + (sleepMs / 1000.0) + "\n");
        stdin.flush();
        await("DONE", QUERY_TIMEOUT_S);
    }

    /** SIGSTOP: the process and its timers (the pool's idle timeout) stop; its sockets stay open. */
    @Override
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGKILL: the kernel closes the process's sockets, so Postgres ends its backends. */
    @Override
    public void reclaim() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).redirectErrorStream(true).start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0)
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly(); // SIGKILL also ends a stopped process
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Watchdog.release(process.pid());
    }

    @Override
    public String toString() { return "Node Prisma 7 instance (pid " + process.pid() + ")"; }
}

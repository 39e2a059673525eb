package io.storecap.environment;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops the harness's child processes even when the harness JVM itself dies without running its
 * shutdown hooks (SIGKILL, a crash). A small {@code sh} process reads "+pid" and "-pid" lines on
 * its standard input; when that input closes - which the kernel does when this JVM dies, however it
 * dies - it sends SIGTERM to every pid still listed (SIGINT, a fast shutdown, to a postmaster), and
 * SIGKILL three seconds later. Closing a
 * resource normally removes its pid first, so the watchdog never signals a pid it no longer owns.
 */
public final class Watchdog {
    private static final String SCRIPT = """
            term=" "; int=" "
            while read -r line; do
              case "$line" in
                +*:INT) p=${line#+}; int="$int${p%:INT} " ;;
                +*) term="$term${line#+} " ;;
                -*) p=${line#-}; term=$(printf '%s' "$term" | sed "s/ $p / /"); int=$(printf '%s' "$int" | sed "s/ $p / /") ;;
              esac
            done
            set -- $int; [ $# -gt 0 ] && kill -INT "$@" 2>/dev/null
            set -- $term; [ $# -gt 0 ] && kill -TERM "$@" 2>/dev/null
            sleep 3
            set -- $int $term; [ $# -gt 0 ] && kill -KILL "$@" 2>/dev/null
            exit 0
            """;

    private static Process process;
    private static OutputStream in;
    private static final List<ProcessHandle> STARTED = new ArrayList<>();

    private Watchdog() {}

    /** The watchdog's own pid (it lives as long as this JVM), or -1 before anything was watched. */
    public static synchronized long pid() { return process == null ? -1 : process.pid(); }

    /** Watches a child process: it is stopped if this JVM dies before {@link #release}. */
    public static synchronized void watch(long pid) {
        remember(pid);
        send("+" + pid);
    }

    /** Watches a Postgres postmaster: SIGINT (fast shutdown) rather than SIGTERM (which waits for clients). */
    public static synchronized void watchPostgres(long pid) {
        remember(pid);
        send("+" + pid + ":INT");
    }

    /**
     * Every process this JVM has put under the watchdog, released or not, oldest first: the
     * postmasters, pgbouncers, redis-servers and service JVMs it started. What a test checks has
     * stopped, rather than counting every postgres on the machine (which may run its own). Each
     * handle is tied to its process' start time, so a pid reused by another process reads as not alive.
     */
    public static synchronized List<ProcessHandle> started() { return List.copyOf(STARTED); }

    /**
     * Whether a process still runs: alive, and not a zombie (on Linux, from /proc), which has exited
     * and only waits for its parent to collect its status - for a postmaster that pg_ctl daemonised,
     * init, which may take a moment. {@link ProcessHandle#isAlive()} counts a zombie as alive.
     */
    public static boolean isRunning(ProcessHandle p) {
        if (!p.isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
            int end = stat.lastIndexOf(')'); // the state follows the command name, which may hold spaces and parentheses
            return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return p.isAlive(); // no /proc (not Linux), or it has just gone
        }
    }

    private static void remember(long pid) {
        ProcessHandle.of(pid).ifPresent(STARTED::add);
    }

    /** The process was stopped normally: forget it. */
    public static synchronized void release(long pid) { send("-" + pid); }

    private static void send(String line) {
        try {
            if (process == null || !process.isAlive()) {
                process = new ProcessBuilder("sh", "-c", SCRIPT)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                in = process.getOutputStream();
            }
            in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
        } catch (IOException e) {
            // without sh the shutdown hooks still stop everything on SIGINT/SIGTERM; only a JVM crash leaks
        }
    }
}

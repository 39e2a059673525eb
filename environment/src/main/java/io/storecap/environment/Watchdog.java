package io.storecap.environment;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

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

    private Watchdog() {}

    /** The watchdog's own pid (it lives as long as this JVM), or -1 before anything was watched. */
    public static synchronized long pid() { return process == null ? -1 : process.pid(); }

    /** Watches a child process: it is stopped if this JVM dies before {@link #release}. */
    public static synchronized void watch(long pid) { send("+" + pid); }

    /** Watches a Postgres postmaster: SIGINT (fast shutdown) rather than SIGTERM (which waits for clients). */
    public static synchronized void watchPostgres(long pid) { send("+" + pid + ":INT"); }

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

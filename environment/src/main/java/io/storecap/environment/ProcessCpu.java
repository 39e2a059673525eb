package io.storecap.environment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * CPU time of the processes a benchmark runs, from {@code /proc/<pid>/stat} (Linux only): who
 * spends the machine's two cores, so a throughput gap can be attributed rather than guessed.
 * Fields 14-17 of stat are utime, stime, cutime and cstime in clock ticks; the children's
 * fields count only children already waited for, which is how short-lived backends (pgbench -C)
 * and reaped child processes (pgbench itself) are still counted.
 */
public final class ProcessCpu {
    /** Linux's USER_HZ; 100 on every mainstream architecture (sysconf(_SC_CLK_TCK)). */
    static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, LongSupplier> parts = new LinkedHashMap<>();

    private ProcessCpu() {}

    public static ProcessCpu create() { return new ProcessCpu(); }

    /** True where /proc can be read (Linux). */
    public static boolean available() { return Files.isReadable(Path.of("/proc/self/stat")); }

    /** A process's own CPU (its threads), e.g. a JVM or pgbouncer. */
    public ProcessCpu withProcess(String name, long pid) {
        parts.put(name, () -> own(pid));
        return this;
    }

    /** A process tree: its own CPU, its live descendants' and its reaped children's (a postmaster and its backends). */
    public ProcessCpu withTree(String name, long pid) {
        parts.put(name, () -> {
            long t = own(pid) + reaped(pid);
            var h = ProcessHandle.of(pid);
            if (h.isPresent()) for (var d : h.get().descendants().toList()) t += own(d.pid());
            return t;
        });
        return this;
    }

    /** Children this JVM started and has reaped (e.g. pgbench after it exits). */
    public ProcessCpu withReapedChildren(String name) {
        long self = ProcessHandle.current().pid();
        parts.put(name, () -> reaped(self));
        return this;
    }

    /** CPU ticks of every part now; pair two snapshots with {@link #secondsBetween}. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        parts.forEach((k, v) -> m.put(k, v.getAsLong()));
        return m;
    }

    /** CPU seconds each part spent between two snapshots. */
    public static Map<String, Double> secondsBetween(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Double> m = new LinkedHashMap<>();
        after.forEach((k, v) -> m.put(k, Math.max(0, v - before.getOrDefault(k, 0L)) / TICKS_PER_SECOND));
        return m;
    }

    static long own(long pid) { return field(pid, 14) + field(pid, 15); }

    static long reaped(long pid) { return field(pid, 16) + field(pid, 17); }

    /** Field n (1-based, as in proc(5)) of /proc/pid/stat; 0 if the process is gone. */
    static long field(long pid, int n) {
        try {
            String s = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count from its end
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[n - 3]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}

package io.storecap.environment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU a container has used and how often its quota stopped it, read on the host from the
 * container's cgroup, so that reading it costs no {@code docker exec} (which would spend the CPU
 * being measured). The container's main process id (from the engine) names its cgroup in
 * {@code /proc/<pid>/cgroup}; cgroup v2 keeps usage and throttling in {@code cpu.stat}, v1 in
 * {@code cpuacct.usage} and {@code cpu/.../cpu.stat}. Where neither can be read (a remote engine,
 * another pid namespace) the process tree's CPU ticks from /proc stand in, without throttling.
 * <p>
 * Used by the compute knee: whether Postgres ran at its compute size's CPU limit, and whether
 * PgBouncer's one thread was near a whole core, decide which resource saturated.
 */
public final class ContainerCpu {
    /** A reading: CPU seconds used so far, and quota periods so far and throttled (0 and 0 when unknown). */
    public record Reading(long nanos, double cpuSeconds, long periods, long throttledPeriods) {
        /** Cores used between {@code earlier} and this reading (CPU seconds per wall second). */
        public double coresSince(Reading earlier) {
            double wall = (nanos - earlier.nanos) / 1e9;
            return wall > 0 ? Math.max(0, cpuSeconds - earlier.cpuSeconds) / wall : 0;
        }

        /** Share of the quota periods in which the kernel throttled the container since {@code earlier}; null when unknown. */
        public Double throttledSince(Reading earlier) {
            long p = periods - earlier.periods;
            return p > 0 ? (double) Math.max(0, throttledPeriods - earlier.throttledPeriods) / p : null;
        }
    }

    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private final long pid;
    private final Path usageFile;
    private final boolean v2;
    private final Path throttleFile;
    private final String source;

    private ContainerCpu(long pid, Path usageFile, boolean v2, Path throttleFile, String source) {
        this.pid = pid;
        this.usageFile = usageFile;
        this.v2 = v2;
        this.throttleFile = throttleFile;
        this.source = source;
    }

    /** The reader for the container whose main process is {@code pid} on this host. */
    static ContainerCpu ofPid(long pid) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "cgroup"));
            String unified = null, cpuacct = null, cpu = null;
            for (String l : lines) {
                String[] f = l.split(":", 3);
                if (f.length < 3) continue;
                if (f[0].equals("0") && f[1].isEmpty()) unified = f[2];
                for (String c : f[1].split(",")) {
                    if (c.equals("cpuacct")) cpuacct = f[2];
                    if (c.equals("cpu")) cpu = f[2];
                }
            }
            if (cpuacct != null) {
                Path usage = firstReadable(ROOT.resolve("cpuacct" + cpuacct + "/cpuacct.usage"),
                        ROOT.resolve("cpu,cpuacct" + cpuacct + "/cpuacct.usage"));
                Path stat = cpu == null ? null : firstReadable(ROOT.resolve("cpu" + cpu + "/cpu.stat"),
                        ROOT.resolve("cpu,cpuacct" + cpu + "/cpu.stat"));
                if (usage != null) return new ContainerCpu(pid, usage, false, stat, "cgroup v1");
            }
            if (unified != null) {
                Path stat = ROOT.resolve(unified.substring(1)).resolve("cpu.stat");
                if (Files.isReadable(stat)) return new ContainerCpu(pid, stat, true, stat, "cgroup v2");
            }
        } catch (IOException | RuntimeException ignored) {
            // not on this host's /proc: the process tree below, or nothing
        }
        return new ContainerCpu(pid, null, false, null, ProcessCpu.available() ? "/proc ticks" : "unavailable");
    }

    private static Path firstReadable(Path... candidates) {
        for (Path p : candidates) if (Files.isReadable(p)) return p;
        return null;
    }

    /** Where the readings come from: cgroup v2, cgroup v1, /proc ticks or unavailable. */
    public String source() { return source; }

    /** Whether readings mean anything (false: every reading is 0). */
    public boolean available() { return !source.equals("unavailable"); }

    /** The container's CPU so far. */
    public Reading read() {
        long now = System.nanoTime();
        try {
            if (usageFile != null && v2) {
                long[] s = stat(usageFile, "usage_usec", "nr_periods", "nr_throttled");
                return new Reading(now, s[0] / 1e6, s[1], s[2]);
            }
            if (usageFile != null) {
                double seconds = Long.parseLong(Files.readString(usageFile).trim()) / 1e9;
                long[] t = throttleFile == null ? new long[]{0, 0} : stat(throttleFile, "nr_periods", "nr_throttled");
                return new Reading(now, seconds, t[0], t[1]);
            }
        } catch (IOException | RuntimeException ignored) {
            // the container is gone; fall through to the process tree (0 when gone too)
        }
        if (!available()) return new Reading(now, 0, 0, 0);
        var tree = ProcessCpu.create().withTree("c", pid).snapshot();
        return new Reading(now, tree.get("c") / ProcessCpu.TICKS_PER_SECOND, 0, 0);
    }

    private static long[] stat(Path file, String... keys) throws IOException {
        long[] out = new long[keys.length];
        for (String line : Files.readAllLines(file)) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length != 2) continue;
            for (int i = 0; i < keys.length; i++) if (kv[0].equals(keys[i])) out[i] = Long.parseLong(kv[1]);
        }
        return out;
    }

    /** Machine-wide CPU: {total, idle} jiffies from /proc/stat, or null where there is none. */
    public static long[] machineJiffies() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) total += Long.parseLong(f[i]);
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[]{total, idle};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Share of the machine's CPU busy between two {@link #machineJiffies} readings; null when unknown. */
    public static Double machineBusy(long[] before, long[] after) {
        if (before == null || after == null) return null;
        long total = after[0] - before[0], idle = after[1] - before[1];
        return total > 0 ? Math.max(0, Math.min(1, 1 - (double) idle / total)) : null;
    }

    @Override
    public String toString() { return "ContainerCpu[pid " + pid + ", " + source + "]"; }
}

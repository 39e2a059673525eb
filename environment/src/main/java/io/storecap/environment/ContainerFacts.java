package io.storecap.environment;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * What the containers provider reports about what it started (image ids, the engine, the CPU and
 * memory limits the kernel really applies), and the wording of its error messages.
 */
final class ContainerFacts {
    private static final String CGROUP_LIMITS = "if [ -f /sys/fs/cgroup/cpu.max ]; then cat /sys/fs/cgroup/cpu.max;"
            + " else echo \"$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)\"; fi;"
            + " if [ -f /sys/fs/cgroup/memory.max ]; then cat /sys/fs/cgroup/memory.max;"
            + " else cat /sys/fs/cgroup/memory/memory.limit_in_bytes; fi";

    private ContainerFacts() {}

    /**
     * The CPU and memory limits as the kernel applies them to a container, read from its cgroup
     * (v2 cpu.max / memory.max, or v1 cfs quota / limit_in_bytes). 0 = no limit.
     */
    static ContainersEnvironment.CgroupLimits cgroupLimits(GenericContainer<?> c) {
        try {
            ExecResult r = c.execInContainer("sh", "-c", CGROUP_LIMITS);
            List<String> lines = r.getStdout().strip().lines().toList();
            if (r.getExitCode() != 0 || lines.size() < 2)
                throw new EnvironmentException("cannot read the cgroup limits in container " + shortId(c) + ": " + r.getStderr().strip());
            String[] cpu = lines.get(0).trim().split("\\s+");
            double cpus = cpu[0].equals("max") || cpu[0].startsWith("-") ? 0 : Double.parseDouble(cpu[0]) / Double.parseDouble(cpu[1]);
            String mem = lines.get(1).trim();
            long bytes = mem.equals("max") ? 0 : Long.parseLong(mem);
            if (bytes >= Long.MAX_VALUE / 2) bytes = 0; // cgroup v1 writes a huge number for "unlimited"
            return new ContainersEnvironment.CgroupLimits(cpus, bytes);
        } catch (IOException e) {
            throw new EnvironmentException("cannot read the cgroup limits in container " + shortId(c) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted", e);
        }
    }

    /** An image's id, shortened ("sha256:" and 12 hex digits), or "?". */
    static String imageId(DockerClient docker, String image) {
        try {
            String id = docker.inspectImageCmd(image).exec().getId();
            return id == null ? "?" : id.substring(0, Math.min(id.length(), 19));
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** "Docker 27.5.1 (API 1.47)", or "?". */
    static String engineVersion(DockerClient docker) {
        try {
            var v = docker.versionCmd().exec();
            return "Docker " + v.getVersion() + " (API " + v.getApiVersion() + ")";
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** 0.25 -> "0.25", 2.0 -> "2". */
    static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.2f", d).replaceAll("0+$", "");
    }

    static String shortId(GenericContainer<?> c) {
        String id = c == null ? null : c.getContainerId();
        return id == null ? "?" : id.substring(0, Math.min(12, id.length()));
    }

    /** The last five lines of a container's log, on one line. */
    static String tail(String logs) {
        List<String> lines = logs.strip().lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    /** The message, and the root cause's when there is one. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }
}

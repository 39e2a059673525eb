package io.storecap.environment;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What Ryuk (Testcontainers' reaper) would do, for a machine that cannot run it: every container
 * and network storecap starts carries labels naming the host and the JVM (pid and start time) that
 * made it; at the next start, those whose JVM is gone (killed outright, so no shutdown hook ran)
 * are removed, and a live run's are left alone.
 */
final class ContainerReaper {
    private static final Logger log = LoggerFactory.getLogger(ContainerReaper.class);
    /** Every container and network storecap starts carries this label (value "true"). */
    static final String LABEL = "io.storecap.harness";
    static final String LABEL_HOST = LABEL + ".host";
    static final String LABEL_PID = LABEL + ".pid";
    static final String LABEL_PID_START = LABEL + ".pid-start";

    private ContainerReaper() {}

    /** The labels that let a later run tell this JVM's containers from a live run's. */
    static Map<String, String> labels() {
        ProcessHandle me = ProcessHandle.current();
        return Map.of(LABEL, "true", LABEL_HOST, hostName(), LABEL_PID, String.valueOf(me.pid()),
                LABEL_PID_START, startOf(me));
    }

    /**
     * Removes the containers and networks that a storecap JVM on this host started and that outlived
     * it (killed with SIGKILL, or a crash before its shutdown hook ran). A live run's are left alone.
     */
    static int removeLeftovers(DockerClient docker) {
        String host = hostName();
        int removed = 0;
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "true")).exec()) {
            Map<String, String> l = c.getLabels();
            if (!host.equals(l.get(LABEL_HOST)) || alive(l)) continue;
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed++;
                log.warn("removed container {} ({}) left behind by an earlier storecap run (pid {}, no longer running)",
                        c.getId().substring(0, 12), c.getImage(), l.get(LABEL_PID));
            } catch (RuntimeException e) {
                log.warn("could not remove leftover container {}: {}", c.getId().substring(0, 12), e.toString());
            }
        }
        for (Network n : docker.listNetworksCmd().withFilter("label", List.of(LABEL + "=true")).exec()) {
            Map<String, String> l = n.getLabels() == null ? Map.of() : n.getLabels();
            if (!host.equals(l.get(LABEL_HOST)) || alive(l)) continue;
            try {
                docker.removeNetworkCmd(n.getId()).exec();
            } catch (RuntimeException e) {
                log.warn("could not remove leftover network {}: {}", n.getName(), e.toString());
            }
        }
        return removed;
    }

    /** Whether the JVM that labelled a resource still runs (same pid and same start time, so a reused pid does not count). */
    private static boolean alive(Map<String, String> l) {
        try {
            long pid = Long.parseLong(l.getOrDefault(LABEL_PID, "-1"));
            return ProcessHandle.of(pid).map(p -> startOf(p).equals(l.get(LABEL_PID_START))).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not ours to judge: leave it
        }
    }

    private static String startOf(ProcessHandle p) {
        return p.info().startInstant().map(i -> String.valueOf(i.toEpochMilli())).orElse("?");
    }

    static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) return h.trim();
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}

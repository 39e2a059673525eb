package io.storecap.runner;

import java.util.Locale;

/**
 * Where a study serves its live metrics: a port on 127.0.0.1, 0 for a free one the study picks
 * (the default: a study always says where to look, and two studies never collide), or off.
 *
 * @param port 1..65535, 0 for a free port, -1 for off
 */
public record MetricsPort(int port) {
    /** No live metrics. */
    public static final MetricsPort OFF = new MetricsPort(-1);
    /** A free port, chosen when the study starts (the default). */
    public static final MetricsPort FREE = new MetricsPort(0);

    public MetricsPort {
        if (port < -1 || port > 65_535)
            throw new IllegalArgumentException("metrics port " + port + " is not a port: use 1-65535, 0 for a free port, or off");
    }

    /** {@code off}, {@code 0} (a free port) or a port number (--metrics-port); the message says which values exist. */
    public static MetricsPort parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        if (v.equals("off")) return OFF;
        try {
            int p = Integer.parseInt(v);
            if (p < 0 || p > 65_535) throw new NumberFormatException();
            return new MetricsPort(p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a port: use 1-65535, 0 for a free port, or off");
        }
    }

    public boolean off() { return port < 0; }
}

package io.storecap.simulations;

import io.storecap.model.TrafficProfile;

import java.util.List;
import java.util.Locale;

/**
 * What a Gatling run sends, on top of the profile's steady rates.
 * <ul>
 *   <li>STAIR — the profile's rates at each store count of the stair (the capacity study);</li>
 *   <li>PEAK — the same stair at the profile's BFCM multiplier of every per-store rate
 *       ({@code -Dstorecap.multiplier} overrides it);</li>
 *   <li>BURST — the stair plus, in every level, a bulk product edit (hundreds of products/update
 *       webhooks from the biggest store within a minute) and a flash sale on the second biggest;</li>
 *   <li>SOAK — one level (the stair's last) held for {@code -Dstorecap.soakSeconds} (default 600).</li>
 * </ul>
 */
public enum Scenario {
    STAIR, PEAK, BURST, SOAK;

    public static Scenario parse(String s) {
        for (Scenario x : values()) if (x.name().equalsIgnoreCase(s == null ? "" : s.trim())) return x;
        throw new IllegalArgumentException("scenario '" + s + "' is not one of stair, peak, burst, soak");
    }

    public String id() { return name().toLowerCase(Locale.ROOT); }

    /** The settings this scenario runs with. */
    public SimulationSettings adjust(SimulationSettings s, java.util.Properties p) {
        if (this != SOAK) return s;
        double seconds = Double.parseDouble(p.getProperty("storecap.soakSeconds", "600"));
        if (seconds < 10) throw new IllegalArgumentException("storecap.soakSeconds must be >= 10, was " + seconds);
        return new SimulationSettings(s.baseUrl(), List.of(s.levels().get(s.levels().size() - 1)), seconds, s.profile(),
                s.runDir(), s.appSecret(), s.adminToken(), s.p95Ms(), s.maxErrorPct(), s.route(), s.maxConnections());
    }

    /** The traffic this scenario sends. */
    public TrafficProfile profile(TrafficProfile base, java.util.Properties p) {
        if (this != PEAK) return base;
        String m = p.getProperty("storecap.multiplier");
        double factor = m == null ? base.bfcmMultiplier().value() : Double.parseDouble(m);
        if (factor < 1) throw new IllegalArgumentException("storecap.multiplier must be >= 1, was " + factor);
        return base.scaled(factor);
    }
}

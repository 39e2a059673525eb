package io.storecap.model.serverless;

import java.util.Locale;
import java.util.Map;

/**
 * Which warm instance a platform gives a request (the reference service's {@code --dispatch}). It
 * decides how long idle instances live, and so how many are warm at a given arrival rate:
 * most-recently-used keeps the fewest (an instance dies after one TTL without being the freshest),
 * random and least-recently-used spread requests so idle instances keep being picked and live on.
 */
public enum Dispatch {
    MRU, LRU, RANDOM;

    /** The run's dispatch from its service options ({@code dispatch=random}); the service's default (mru) when unset. */
    public static Dispatch of(Map<String, String> serviceOptions) {
        String v = serviceOptions == null ? null : serviceOptions.get("dispatch");
        if (v == null || v.isBlank()) return MRU;
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "mru" -> MRU;
            case "lru" -> LRU;
            case "random" -> RANDOM;
            default -> throw new IllegalArgumentException("dispatch must be mru, lru or random, was '" + v + "'");
        };
    }

    public String id() { return name().toLowerCase(Locale.ROOT); }
}

package io.storecap.model.checklist;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The plan's alert rules read off the measurements: at which store count each would first fire for a
 * configuration, where its capacity lies, and what connection threshold would warn in time.
 */
public final class Alerts {
    private Alerts() {}

    /** The plan's alerts: > 80 connections, > 1 % errors, p95 > 500 ms, each on what it observes. */
    public enum Rule {
        CONNECTIONS("connections > 80", 80),
        ERROR_RATE("error rate > 1 %", 0.01),
        P95("p95 > 500 ms", 500);

        public final String words;
        public final double threshold;

        Rule(String words, double threshold) {
            this.words = words;
            this.threshold = threshold;
        }

        public String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

        public double of(Reading r) {
            return switch (this) {
                case CONNECTIONS -> r.peakConnections();
                case ERROR_RATE -> r.errorRate();
                case P95 -> r.p95Ms();
            };
        }

        public boolean fires(Reading r) { return of(r) > threshold; }
    }

    /**
     * Where a rule first fires among the levels measured.
     *
     * @param rule     the rule
     * @param quietAt  the highest store count below {@code firesAt} where it did not fire (null: none measured)
     * @param firesAt  the lowest store count where it fired (null: it never fired up to {@code highest})
     * @param estimate the store count where the measured value crosses the threshold, interpolated in
     *                 log(stores) between quietAt and firesAt; null unless both are known
     * @param highest  the highest store count measured
     */
    public record FirstFire(Rule rule, Integer quietAt, Integer firesAt, Double estimate, int highest) {
        public String words() {
            if (firesAt == null) return "does not fire up to " + String.format(Locale.ROOT, "%,d", highest) + " stores";
            if (quietAt == null) return "fires already at " + String.format(Locale.ROOT, "%,d", firesAt) + " stores (the lowest measured)";
            return String.format(Locale.ROOT, "first fires near %,d stores (quiet at %,d, firing at %,d)",
                    Math.round(estimate), quietAt, firesAt);
        }
    }

    public static FirstFire firstFire(Rule rule, List<Reading> readings) {
        if (readings.isEmpty()) throw new IllegalArgumentException("no readings to read an alert from");
        List<Reading> sorted = readings.stream().sorted(Comparator.comparingInt(Reading::stores)).toList();
        int highest = sorted.get(sorted.size() - 1).stores();
        Reading fire = sorted.stream().filter(rule::fires).findFirst().orElse(null);
        if (fire == null) return new FirstFire(rule, highest, null, null, highest);
        Reading quiet = null;
        for (Reading r : sorted) if (r.stores() < fire.stores() && !rule.fires(r)) quiet = r;
        if (quiet == null) return new FirstFire(rule, null, fire.stores(), null, highest);
        double v1 = rule.of(quiet), v2 = rule.of(fire);
        double t = v2 > v1 ? (rule.threshold - v1) / (v2 - v1) : 1;
        t = Math.max(0, Math.min(1, t));
        double est = Math.exp(Math.log(quiet.stores()) + t * (Math.log(fire.stores()) - Math.log(quiet.stores())));
        return new FirstFire(rule, quiet.stores(), fire.stores(), est, highest);
    }

    /**
     * The capacity the levels show: the highest store count that held below the lowest that failed.
     *
     * @param held   highest level that held (null: none did)
     * @param failed lowest level that failed (null: none did, so {@code held} is a lower bound)
     */
    public record Capacity(Integer held, Integer failed) {
        /** The knee's estimate: the geometric middle of the bracket; null without a failure or a hold. */
        public Double knee() { return held == null || failed == null ? null : Math.sqrt((double) held * failed); }

        public String words() {
            if (held == null && failed == null) return "no level could say";
            if (failed == null) return String.format(Locale.ROOT, "≥ %,d stores (nothing failed up to there)", held);
            if (held == null) return String.format(Locale.ROOT, "< %,d stores (the lowest level measured failed)", failed);
            return String.format(Locale.ROOT, "%,d-%,d stores (held at %,d, failed at %,d)", held, failed, held, failed);
        }
    }

    public static Capacity capacity(List<Reading> readings) {
        Integer failed = readings.stream().filter(r -> Boolean.FALSE.equals(r.holds())).map(Reading::stores).min(Integer::compare).orElse(null);
        Integer held = readings.stream().filter(r -> Boolean.TRUE.equals(r.holds()) && (failed == null || r.stores() < failed))
                .map(Reading::stores).max(Integer::compare).orElse(null);
        return new Capacity(held, failed);
    }

    /**
     * The connection count at {@code share} of the knee (the plan's "> 80" replaced by what this
     * configuration really reaches in time to act): peak connections interpolated linearly in stores
     * between the levels around share x knee; null when there is no knee or no levels around it.
     */
    public static Double connectionsAtShareOfKnee(List<Reading> readings, double share) {
        if (!(share > 0 && share <= 1)) throw new IllegalArgumentException("share must be in (0, 1], was " + share);
        Double knee = capacity(readings).knee();
        if (knee == null) return null;
        double at = share * knee;
        List<Reading> sorted = readings.stream().sorted(Comparator.comparingInt(Reading::stores)).toList();
        for (int i = 0; i + 1 < sorted.size(); i++) {
            Reading a = sorted.get(i), b = sorted.get(i + 1);
            if (a.stores() <= at && at <= b.stores()) {
                double t = b.stores() == a.stores() ? 0 : (at - a.stores()) / (b.stores() - a.stores());
                return a.peakConnections() + t * (b.peakConnections() - a.peakConnections());
            }
        }
        return null;
    }
}

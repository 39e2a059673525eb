package io.storecap.cli.fidelity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cases: one sequence each, driven the same way on both sides, the numbers read from each side's
 * backend counts, and the checks with their tolerances. Every query is {@code SELECT pg_sleep(0.2)::text}
 * (Prisma needs a raw query to return a type it can read; void is not one).
 */
public enum FidelityCase {
    SINGLE("single", "1 query", false,
            List.of(Check.equal("peakBackends", "peak backends"))) {
        @Override
        void drive(Side s, Trace t) throws Exception {
            t.sleepUntil(300);
            s.query(1, SLEEP_MS);
            t.mark("queried");
            t.sleepFor(1000);
        }
    },
    FANOUT("fanout", "Promise.all of " + FidelityCase.FAN_OUT + " queries", false,
            List.of(Check.equal("peakBackends", "peak backends"), Check.equal("heldAfter", "backends held 1 s after"))) {
        @Override
        void drive(Side s, Trace t) throws Exception {
            t.sleepUntil(300);
            s.query(FAN_OUT, SLEEP_MS);
            t.mark("queried");
            t.sleepFor(1000);
        }
    },
    IDLE("idle", "idle " + FidelityCase.IDLE_S + " s after a fan-out, instance awake (emulation: attach-database-pool=on)", true,
            List.of(Check.equal("peakBackends", "peak backends"), Check.within("secondsToZero", "s from the fan-out's end to 0 backends", 2.0))) {
        @Override
        void drive(Side s, Trace t) throws Exception {
            s.query(FAN_OUT, SLEEP_MS);
            t.mark("queried");
            t.sleepFor(IDLE_S * 1000L);
        }
    },
    FREEZE("freeze", "frozen " + FidelityCase.FREEZE_S + " s after a fan-out (real: SIGSTOP; emulation: attach-database-pool=off, suspended)", false,
            List.of(Check.equal("backendsAtFreeze", "backends when frozen"), Check.equal("fewestWhileFrozen", "fewest backends while frozen"))) {
        @Override
        void drive(Side s, Trace t) throws Exception {
            s.query(FAN_OUT, SLEEP_MS);
            s.freeze();
            t.mark("frozen");
            t.sleepFor(FREEZE_S * 1000L);
            t.mark("thawed");
        }
    },
    RECLAIM("reclaim", "reclaimed 1 s after a fan-out (real: SIGKILL; emulation: retired with --zombie-hold-ms=0)", false,
            List.of(Check.equal("heldBeforeReclaim", "backends held before the reclaim"),
                    Check.within("secondsToZero", "s from the reclaim to 0 backends", 1.0))) {
        @Override
        void drive(Side s, Trace t) throws Exception {
            s.query(FAN_OUT, SLEEP_MS);
            t.sleepFor(1000);
            t.mark("reclaimed");
            s.reclaim();
            t.sleepFor(3000);
        }
    };

    static final int SLEEP_MS = 200, FAN_OUT = 20, IDLE_S = 13, FREEZE_S = 12;

    public final String id;
    public final String description;
    /** the emulated service's --attach-database-pool for this case */
    final boolean attachDatabasePool;
    final List<Check> checks;

    FidelityCase(String id, String description, boolean attachDatabasePool, List<Check> checks) {
        this.id = id;
        this.description = description;
        this.attachDatabasePool = attachDatabasePool;
        this.checks = checks;
    }

    /** The steps, on one side, with its clock. */
    abstract void drive(Side s, Trace t) throws Exception;

    /** The numbers the checks compare, from one side's counts and marks; null = did not happen in the case. */
    Map<String, Double> measure(Trace.Result r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("peakBackends", (double) r.peak(0, Long.MAX_VALUE));
        switch (this) {
            case SINGLE, FANOUT -> m.put("heldAfter", (double) r.lastAtOrBefore(Long.MAX_VALUE));
            case IDLE -> m.put("secondsToZero", r.secondsToZero("queried"));
            case FREEZE -> {
                long frozen = r.mark("frozen"), thawed = r.mark("thawed");
                m.put("backendsAtFreeze", (double) r.lastAtOrBefore(frozen));
                m.put("fewestWhileFrozen", (double) r.fewest(frozen, thawed));
                m.put("secondsToZero", r.secondsToZero("frozen"));
            }
            case RECLAIM -> {
                m.put("heldBeforeReclaim", (double) r.lastAtOrBefore(r.mark("reclaimed")));
                m.put("secondsToZero", r.secondsToZero("reclaimed"));
            }
        }
        return m;
    }

    /** "single, fanout" etc. to cases; a name that is none names the ones there are. */
    public static List<FidelityCase> parse(List<String> names) {
        if (names == null || names.isEmpty()) return List.of(values());
        return names.stream().map(String::trim).filter(n -> !n.isEmpty()).distinct().map(n -> {
            for (FidelityCase c : values()) if (c.id.equals(n.toLowerCase(Locale.ROOT))) return c;
            throw new IllegalArgumentException("--case '" + n + "' is not a case; the cases are " + ids());
        }).toList();
    }

    static String ids() { return String.join(", ", java.util.Arrays.stream(values()).map(c -> c.id).toList()); }

    /**
     * One comparison: a number of both sides and how far apart they may be.
     *
     * @param metric    the number's key in {@link #measure}
     * @param what      what it is, for the table
     * @param within    largest allowed difference; 0 = equal
     */
    record Check(String metric, String what, double within) {
        static Check equal(String metric, String what) { return new Check(metric, what, 0); }

        static Check within(String metric, String what, double d) { return new Check(metric, what, d); }

        String tolerance() { return within == 0 ? "equal" : "within " + Trace.num(within) + " s"; }

        /** Both happened and are close enough, or neither happened (null: e.g. never reached 0). */
        boolean pass(Double real, Double emulated) {
            if (real == null || emulated == null) return real == null && emulated == null;
            return Math.abs(real - emulated) <= within + 1e-9;
        }
    }
}

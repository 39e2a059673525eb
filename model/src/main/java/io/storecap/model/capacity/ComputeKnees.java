package io.storecap.model.capacity;

import io.storecap.model.ComputeKnee;
import io.storecap.model.ComputeKnee.PgBouncerCeiling;
import io.storecap.model.ComputeKnee.RampPoint;
import io.storecap.model.ComputeKnee.Resource;
import io.storecap.model.MeasuredKind;
import io.storecap.model.Numbers;
import io.storecap.model.queue.ThroughputCeiling;
import io.storecap.model.queue.UslResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * From a compute ramp's points to a pooled claim's compute-bound knee ({@link ComputeKnee}): the
 * ceiling of the mix ramp ({@link ThroughputCeiling}: USL fit, X_max, bootstrap interval), the knee
 * in stores (X_max over one store's requests a second), the resource that saturated at the plateau,
 * and PgBouncer's own ceiling from the trivial ramp. Pure: the runner measures, this decides.
 * <p>
 * <b>Which resource.</b> At the plateau (the points carrying at least 90 % of the most any point
 * carried), in this order:
 * <ol>
 *   <li>the machine has fewer cores than the compute size: machine-limited, a lower bound (the
 *       containers provider ran Postgres at what the machine has);</li>
 *   <li>the ramp never reached its fitted ceiling: a lower bound at the most carried;</li>
 *   <li>Postgres used at least {@link #AT_LIMIT} of its CPU limit: Postgres' CPU at the compute size;</li>
 *   <li>PgBouncer used at least {@link #AT_LIMIT} of a core: its one thread;</li>
 *   <li>the machine was at least {@link #MACHINE_BUSY} busy (the load generator, other users):
 *       machine-limited, a lower bound;</li>
 *   <li>else contention: throughput levelled off with no CPU at its limit.</li>
 * </ol>
 */
public final class ComputeKnees {
    private ComputeKnees() {}

    /** Share of a CPU limit (Postgres' quota, PgBouncer's one core) that counts as saturated. */
    public static final double AT_LIMIT = 0.8;
    /** Share of the machine's CPU busy that makes a plateau the machine's rather than the tier's. */
    public static final double MACHINE_BUSY = 0.9;

    /**
     * What the runner measured.
     *
     * @param perStoreTps  one store's requests a second (the profile's per-store kinds at its phase)
     * @param cpusAsked    the tier's compute units
     * @param cpusApplied  Postgres' CPU limit as applied (less when the machine has fewer cores)
     * @param poolSize     PgBouncer's default_pool_size
     * @param machineCores this machine's cores
     * @param points       every window of the mix ramp and the trivial ramp
     * @param seed         the bootstrap's seed
     * @param resamples    bootstrap resamples
     * @param notes        the runner's own notes (errors, what the mix leaves out), kept in order
     */
    public record Inputs(double perStoreTps, double cpusAsked, double cpusApplied, int poolSize, int machineCores,
                         List<RampPoint> points, long seed, int resamples, List<String> notes) {
        public Inputs {
            if (!(perStoreTps > 0)) throw new IllegalArgumentException("the per-store demand must be > 0 requests/s, was " + perStoreTps
                    + "; the profile needs a positive per-store rate");
            if (!(cpusAsked > 0) || !(cpusApplied > 0))
                throw new IllegalArgumentException("the compute size must be > 0 vCPU (asked " + cpusAsked + ", applied " + cpusApplied + ")");
            points = points == null ? List.of() : List.copyOf(points);
            notes = notes == null ? List.of() : List.copyOf(notes);
        }
    }

    /** The compute knee of these measurements. */
    public static ComputeKnee evaluate(Inputs in) {
        double pst = in.perStoreTps();
        List<RampPoint> mix = in.points().stream().filter(p -> ComputeKnee.MIX.equals(p.ramp())).toList();
        List<String> notes = new ArrayList<>(in.notes());
        long levels = mix.stream().mapToInt(RampPoint::clients).distinct().count();
        if (levels < 3 || mix.size() < io.storecap.model.queue.UslCsv.MIN_POINTS)
            return new ComputeKnee(MeasuredKind.NONE, null, null, null, Resource.NONE, null, null, null, null, pst, null,
                    in.cpusApplied(), in.cpusAsked(), in.poolSize(), in.machineCores(), null, null, in.points(), notes,
                    "the ramp measured " + mix.size() + " windows at " + levels + " concurrency levels; the USL needs "
                            + io.storecap.model.queue.UslCsv.MIN_POINTS + " windows over at least 3 levels");
        ThroughputCeiling c = ThroughputCeiling.fit(mix.stream().mapToDouble(RampPoint::clients).toArray(),
                mix.stream().mapToDouble(RampPoint::throughput).toArray(), in.seed(), in.resamples());
        UslResult u = c.usl();
        ComputeKnee.Usl usl = new ComputeKnee.Usl(u.sigma(), u.kappa(), u.lambda(), u.rSquared(),
                Double.isFinite(c.nAtMax()) ? c.nAtMax() : null);
        long tx = mix.stream().mapToLong(RampPoint::transactions).sum();
        Double spt = tx > 0 ? (double) mix.stream().mapToLong(RampPoint::statements).sum() / tx : null;
        List<RampPoint> plateau = mix.stream().filter(p -> p.throughput() >= ThroughputCeiling.REACHED * c.maxCarried()).toList();
        Double pg = mean(plateau, RampPoint::postgresCores), bouncer = mean(plateau, RampPoint::pgbouncerCores);
        Double busy = mean(plateau, RampPoint::machineBusy), injector = mean(plateau, RampPoint::injectorCores);
        Double throttled = mean(plateau, RampPoint::postgresThrottled);
        PgBouncerCeiling pgb = pgbouncer(in, spt);
        String cpuWords = vcpu(in.cpusApplied());

        MeasuredKind kind;
        Resource resource;
        String saturated;
        if (in.cpusApplied() + 1e-9 < in.cpusAsked()) {
            kind = MeasuredKind.MACHINE_LIMITED;
            resource = Resource.TEST_MACHINE;
            saturated = "this machine: " + in.machineCores() + " cores, fewer than the tier's " + vcpu(in.cpusAsked())
                    + " (Postgres ran at " + cpuWords + ")";
        } else if (!c.reached()) {
            kind = MeasuredKind.LOWER_BOUND;
            resource = Resource.NONE;
            saturated = "nothing within the ramp: its top (" + mix.stream().mapToInt(RampPoint::clients).max().orElse(0)
                    + " clients) carried " + Numbers.num(round(c.maxCarried())) + " requests/s, below the fitted ceiling";
        } else if (pg != null && pg >= AT_LIMIT * in.cpusApplied()) {
            kind = MeasuredKind.KNEE;
            resource = Resource.POSTGRES_CPU;
            saturated = "Postgres CPU at " + cpuWords + " (" + two(pg) + " vCPU used at the plateau"
                    + (throttled == null ? "" : ", throttled in " + Math.round(100 * throttled) + " % of quota periods") + ")";
        } else if (bouncer != null && bouncer >= AT_LIMIT) {
            kind = MeasuredKind.KNEE;
            resource = Resource.PGBOUNCER;
            saturated = "PgBouncer's single thread (" + two(bouncer) + " of a core at the plateau)";
        } else if (busy != null && busy >= MACHINE_BUSY) {
            kind = MeasuredKind.MACHINE_LIMITED;
            resource = Resource.TEST_MACHINE;
            saturated = "this machine's CPU (" + Math.round(100 * busy) + " % busy at the plateau; load generator "
                    + two(injector) + " cores, Postgres " + two(pg) + " of " + cpuWords + ")";
        } else if (pg == null) {
            kind = MeasuredKind.KNEE;
            resource = Resource.NONE;
            saturated = "not attributed (the containers' CPU could not be read here)";
        } else {
            kind = MeasuredKind.KNEE;
            resource = Resource.CONTENTION;
            saturated = "contention, no CPU at its limit (Postgres " + two(pg) + " of " + cpuWords + ", PgBouncer " + two(bouncer)
                    + " core, machine " + (busy == null ? "?" : Math.round(100 * busy) + " %") + " busy; USL sigma "
                    + String.format(Locale.ROOT, "%.3g", u.sigma()) + ")";
        }
        if (kind == MeasuredKind.KNEE && busy != null && busy >= MACHINE_BUSY)
            notes.add("The machine was " + Math.round(100 * busy) + " % busy at the plateau (the load generator used " + two(injector)
                    + " cores); Postgres still used its CPU limit, so the ceiling is the compute size's.");
        int top = mix.stream().mapToInt(RampPoint::clients).max().orElse(1);
        if (kind == MeasuredKind.KNEE && u.kappa() > 0 && c.nAtMax() < top) {
            double atTop = mix.stream().filter(p -> p.clients() == top).mapToDouble(RampPoint::throughput).average().orElse(Double.NaN);
            notes.add("The curve is retrograde: past its peak (" + Numbers.num((double) Math.round(c.nAtMax() * 10) / 10) + " clients) more"
                    + " concurrent requests carry less (" + Numbers.num(round(atTop)) + " requests/s at " + top + " clients; PgBouncer lets "
                    + in.poolSize() + " run at once). An open-loop load near X_max queues, which raises the concurrency and lowers the"
                    + " throughput further, so read X_max as the upper end of what the compute sustains.");
        }
        Double xMax, xLow, xHigh;
        if (kind == MeasuredKind.KNEE) {
            xMax = c.xMax();
            xLow = Double.isFinite(c.low()) ? c.low() : null;
            xHigh = Double.isFinite(c.high()) ? c.high() : null;
        } else {
            xMax = c.maxCarried(); // a bound: what a level carried (its windows' mean), never a fit past the data
            xLow = c.maxCarried();
            xHigh = null;
        }
        if (pgb != null && pgb.stores() != null && kind == MeasuredKind.KNEE) {
            double knee = xMax / pst;
            notes.add("PgBouncer's own ceiling (" + pgb.how() + ") is ≈ " + Numbers.stores(pgb.stores()) + " stores, "
                    + (pgb.stores() > knee ? "above" : "below") + " the compute knee of " + Numbers.stores(knee)
                    + (pgb.stores() > knee ? ": Postgres' compute saturates first." : ": PgBouncer's one thread would saturate first."));
        }
        return new ComputeKnee(kind, xMax / pst, xLow == null ? null : xLow / pst, xHigh == null ? null : xHigh / pst, resource, saturated,
                xMax, xLow, xHigh, pst, spt, in.cpusApplied(), in.cpusAsked(), in.poolSize(), in.machineCores(), usl, pgb, in.points(),
                notes, null);
    }

    /**
     * PgBouncer's ceiling from the trivial ramp: at its best level, the round trips a second, and
     * the CPU its one thread used. Near a whole core, that rate is the ceiling, measured; below, the
     * utilisation law (throughput = utilisation / demand per round trip) gives the rate at one core.
     */
    static PgBouncerCeiling pgbouncer(Inputs in, Double statementsPerRequest) {
        Map<Integer, List<RampPoint>> byLevel = in.points().stream().filter(p -> ComputeKnee.TRIVIAL.equals(p.ramp()))
                .collect(Collectors.groupingBy(RampPoint::clients, TreeMap::new, Collectors.toList()));
        if (byLevel.isEmpty()) return null;
        List<RampPoint> best = null;
        double bestRate = -1;
        for (List<RampPoint> level : byLevel.values()) {
            double rate = level.stream().mapToLong(RampPoint::statements).sum() / level.stream().mapToDouble(RampPoint::seconds).sum();
            if (rate > bestRate) {
                bestRate = rate;
                best = level;
            }
        }
        Double cores = mean(best, RampPoint::pgbouncerCores);
        String rate = Numbers.num(round(bestRate)) + " SELECT 1/s at " + best.get(0).clients() + " clients";
        double perStore = in.perStoreTps() * (statementsPerRequest == null ? 1 : statementsPerRequest);
        if (cores == null || !(cores > 0))
            return new PgBouncerCeiling(bestRate, false, bestRate / perStore, cores, "at least " + rate + "; its CPU could not be read");
        boolean reached = cores >= AT_LIMIT;
        double ceiling = reached ? bestRate : bestRate / cores;
        String how = reached ? "measured: " + rate + " with its thread at " + two(cores) + " of a core"
                : "estimated: " + rate + " used " + two(cores) + " of a core, so ≈ " + Numbers.num(round(ceiling))
                + "/s at a whole core (utilisation law)";
        return new PgBouncerCeiling(ceiling, reached, ceiling / perStore, cores, how);
    }

    private static Double mean(List<RampPoint> ps, Function<RampPoint, Double> f) {
        if (ps == null) return null;
        double s = 0;
        int n = 0;
        for (RampPoint p : ps) {
            Double v = f.apply(p);
            if (v == null || !Double.isFinite(v)) continue;
            s += v;
            n++;
        }
        return n == 0 ? null : s / n;
    }

    private static double round(double v) { return Math.round(v); }

    private static String two(Double v) { return v == null ? "?" : String.format(Locale.ROOT, "%.2f", v); }

    private static String vcpu(double cpus) { return Numbers.num(cpus) + " vCPU"; }
}

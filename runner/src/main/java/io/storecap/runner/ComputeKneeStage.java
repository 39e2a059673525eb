package io.storecap.runner;

import io.storecap.environment.ContainerCpu;
import io.storecap.environment.ContainersEnvironment;
import io.storecap.environment.DatabaseEnvironment;
import io.storecap.environment.EnvironmentSpec;
import io.storecap.environment.Environments;
import io.storecap.environment.Provider;
import io.storecap.model.ComputeKnee;
import io.storecap.model.ComputeKnee.RampPoint;
import io.storecap.model.Tier;
import io.storecap.model.TrafficProfile;
import io.storecap.model.capacity.ComputeKnees;
import io.storecap.service.Schema;
import io.storecap.service.SqlMix;
import io.storecap.service.Stores;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pooled claim's compute-bound knee, measured: Postgres in a container at the tier's compute
 * size (Neon compute units as its CPU limit) with PgBouncer in transaction mode at the tier's pool
 * size, the app's stores seeded, then two closed-loop ramps through PgBouncer ({@link ComputeRamp}):
 * the app's own SQL mix ({@link SqlMix}, kinds weighted by the profile's per-store rates) and a
 * trivial statement for PgBouncer's own ceiling. {@link ComputeKnees} turns the points into the
 * knee. Needs the containers provider: local processes cannot be given a CPU limit, so elsewhere
 * the result is "not measured" with the reason. Every container is stopped when it ends, also on failure.
 */
public final class ComputeKneeStage {
    /** What the study prints, and compute.json records, when the provider cannot limit Postgres' CPU. */
    public static final String NEEDS_DOCKER = "needs Docker; --provider containers";

    private ComputeKneeStage() {}

    /**
     * @param provider where Postgres runs: containers, or auto (containers when Docker is usable)
     * @param quick    the quick ramp (about 80 s of load) or the full one
     * @param seed     the mix's and the bootstrap's seed
     */
    public record Options(Provider provider, boolean quick, long seed) {}

    /** One store's requests a second: the profile's per-store kinds the mix runs, at the profile's phase. */
    public static double perStoreTps(TrafficProfile profile) {
        double sum = 0;
        for (var e : profile.perStorePerHour().entrySet())
            if (SqlMix.KINDS.contains(e.getKey())) sum += e.getValue().at(profile.phase()) / 3600.0;
        return sum;
    }

    /** The study's step for a pooled claim: measures (or says why not), prints one line and writes runDir/compute.json. */
    public static ComputeKnee forClaim(PrintStream out, Tier tier, TrafficProfile profile, Options o, Path runDir) {
        ComputeKnee k;
        try {
            k = measure(out, tier, profile, o);
        } catch (RuntimeException e) {
            out.printf("  compute knee failed: %s%n", e.getMessage());
            k = ComputeKnee.notMeasured("the ramp failed: " + e.getMessage(), perStoreTps(profile));
        }
        out.printf("  compute knee: %s%n", k.line());
        try {
            k.write(runDir);
        } catch (IOException e) {
            out.printf("  could not write %s: %s%n", runDir.resolve(ComputeKnee.FILE), e.getMessage());
        }
        return k;
    }

    /** Measures the tier's compute knee; "not measured" with the reason when the provider cannot. */
    public static ComputeKnee measure(PrintStream out, Tier tier, TrafficProfile profile, Options o) {
        return measure(out, tier, profile, o, o.quick() ? ComputeRamp.Settings.quick() : ComputeRamp.Settings.full());
    }

    /** As above, with the ramp's own settings (tests run a very short one). */
    static ComputeKnee measure(PrintStream out, Tier tier, TrafficProfile profile, Options o, ComputeRamp.Settings s) {
        double pst = perStoreTps(profile);
        if (!(pst > 0)) throw new IllegalArgumentException("the profile '" + profile.name() + "' sends no per-store requests of "
                + SqlMix.KINDS + ": there is no per-store demand to divide the ceiling by");
        EnvironmentSpec spec = EnvironmentSpec.forTier(tier).withProvider(o.provider()).withPooler(true);
        Provider p = o.provider() == Provider.LOCAL ? Provider.LOCAL : Environments.resolve(spec);
        if (p == Provider.EXTERNAL) return ComputeKnee.notMeasured("an external target's compute is not storecap's to limit", pst);
        if (p != Provider.CONTAINERS) {
            String why = o.provider() == Provider.AUTO ? NEEDS_DOCKER + ": " + Environments.dockerStatus(spec).message() : NEEDS_DOCKER;
            return ComputeKnee.notMeasured(why, pst);
        }
        if (tier.computeUnits() == null)
            return ComputeKnee.notMeasured("tier " + tier.id() + " has no computeUnits in tiers.yaml: add the Neon compute size it stands for", pst);
        out.printf("  compute knee of %s: Postgres at %s CU, PgBouncer pool %d; %d + %d levels, about %.0f s of load%n", tier.id(),
                io.storecap.model.Numbers.num(tier.computeUnits()), spec.effectivePoolSize(), s.mixClients().size(), s.trivialClients().size(),
                s.loadSeconds());
        try (DatabaseEnvironment env = Environments.start(spec.withProvider(Provider.CONTAINERS))) {
            ContainersEnvironment ce = (ContainersEnvironment) env;
            double applied = ce.cgroupLimits().cpus();
            List<String> notes = new ArrayList<>();
            seed(env, s.seedStores(), profile);
            Map<String, Double> rates = new LinkedHashMap<>();
            profile.perStorePerHour().forEach((k, r) -> { if (SqlMix.KINDS.contains(k)) rates.put(k, r.at(profile.phase())); });
            SqlMix mix = new SqlMix(rates, profile.webhookTopics(), s.seedStores(),
                    profile.storeSizes() == null ? 0 : profile.storeSizes().zipfExponent());
            List<RampPoint> points = new ArrayList<>();
            ComputeRamp.CpuProbe probe = probe(ce.postgresCpu(), ce.pgbouncerCpu());
            var pb = env.pgbouncer();
            try (ComputeRamp ramp = new ComputeRamp(pb.appJdbcUrl(), env.postgres().appUser(), env.postgres().appPassword(), probe, s.maxClients())) {
                points.addAll(ramp.run(ComputeKnee.MIX, s.mixClients(), mix::runOne, s, o.seed(), out::println));
                points.addAll(ramp.run(ComputeKnee.TRIVIAL, s.trivialClients(), (c, r) -> SqlMix.trivial(c), s, o.seed() + 1, out::println));
            } catch (SQLException e) {
                throw new IllegalStateException("the compute ramp could not connect through PgBouncer: " + e.getMessage(), e);
            }
            long errors = points.stream().mapToLong(RampPoint::errors).sum();
            if (errors > 0) notes.add(errors + " requests failed during the ramps (see points[].errors); they are not counted as throughput.");
            notes.add("The mix: " + describe(mix.shares()) + ", for " + s.seedStores() + " seeded stores chosen by the profile's Zipf sizes;"
                    + " webhooks as immediate mode stores them (queued mode adds the consumer's claim and update); the global"
                    + " super-admin dashboard is left out of the per-store demand.");
            notes.add("Closed loop: each client holds one connection to PgBouncer (transaction mode, pool " + spec.effectivePoolSize()
                    + ") and sends its next request when the last is answered; PgBouncer, the load generator and Postgres share this"
                    + " machine's " + Runtime.getRuntime().availableProcessors() + " cores, Postgres limited to " + io.storecap.model.Numbers.num(applied) + ".");
            return ComputeKnees.evaluate(new ComputeKnees.Inputs(pst, tier.computeUnits(), applied, spec.effectivePoolSize(),
                    Runtime.getRuntime().availableProcessors(), points, o.seed(), o.quick() ? 400 : 1000, notes));
        }
    }

    private static void seed(DatabaseEnvironment env, int stores, TrafficProfile profile) {
        try (Connection c = env.appConnection()) {
            Schema.create(c, true);
            Stores.seed(c, stores, 30, profile.storeSizes() == null ? 0 : profile.storeSizes().zipfExponent());
        } catch (SQLException e) {
            throw new IllegalStateException("seeding " + stores + " stores for the compute ramp failed: " + e.getMessage(), e);
        }
    }

    /** Readings of both containers, this JVM and the machine, taken together. */
    private static ComputeRamp.CpuProbe probe(ContainerCpu postgres, ContainerCpu pgbouncer) {
        return () -> {
            ContainerCpu.Reading pg = postgres.available() ? postgres.read() : null;
            ContainerCpu.Reading pb = pgbouncer != null && pgbouncer.available() ? pgbouncer.read() : null;
            return new ComputeRamp.CpuProbe.Reading(System.nanoTime(), pg == null ? null : pg.cpuSeconds(),
                    pg == null || pg.periods() == 0 ? null : pg.periods(), pg == null ? null : pg.throttledPeriods(),
                    pb == null ? null : pb.cpuSeconds(), ComputeRamp.jvmCpuSeconds(), ContainerCpu.machineJiffies());
        };
    }

    private static String describe(Map<String, Double> shares) {
        List<String> parts = new ArrayList<>();
        shares.forEach((k, v) -> parts.add(k + " " + Math.round(100 * v) + " %"));
        return String.join(", ", parts);
    }
}

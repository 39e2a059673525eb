package io.storecap.cli;

import io.storecap.environment.Provider;
import io.storecap.model.ComputeKnee;
import io.storecap.model.Json;
import io.storecap.model.MeasuredKind;
import io.storecap.model.Tier;
import io.storecap.model.TiersFile;
import io.storecap.model.TrafficProfile;
import io.storecap.runner.ComputeKneeStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./storecap model compute}: a tier's compute-bound knee on its own, without a study: the
 * same stage a study runs for each pooled claim ({@link ComputeKneeStage}), written to
 * {@code compute.json} in its own folder. Exit 0 when measured, 1 when it could not be (the reason
 * is printed), 2 on bad input.
 */
@Command(name = "compute", mixinStandardHelpOptions = true,
        description = {"Measures a tier's compute-bound knee: Postgres in a container at the tier's compute units behind PgBouncer,",
                "a closed-loop ramp of the app's SQL mix and of SELECT 1, a USL fit, the knee in stores = X_max / per-store demand.",
                "Needs Docker (the containers provider). The quick ramp takes about 2 minutes."})
final class ComputeCmd implements Callable<Integer> {
    @Option(names = "--tier", required = true, paramLabel = "ID", description = "a tier of the tiers file with computeUnits, e.g. free") String tier;
    @Option(names = "--tiers", paramLabel = "FILE", description = "the tiers (default config/tiers.yaml)") Path tiers;
    @Option(names = "--profile", paramLabel = "FILE", description = "the traffic profile (default config/profile.yaml)") Path profile;
    @Option(names = "--provider", paramLabel = "containers|auto", defaultValue = "containers",
            description = "where Postgres runs (default ${DEFAULT-VALUE}); local processes cannot be given a CPU limit") Provider provider;
    @Option(names = "--full", description = "the full ramp: 5 windows of 3 s per level (about 4 minutes)") boolean full;
    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed of the mix and the bootstrap (default ${DEFAULT-VALUE})") long seed;
    @Option(names = "--out", paramLabel = "DIR", description = "where compute.json goes (default target/storecap/compute/<time>-<tier>)") Path out;
    @Option(names = "--json", description = "print compute.json instead of the summary") boolean json;

    @Override
    public Integer call() throws Exception {
        Path root = StudyCommands.root();
        Map<String, Tier> ts = TiersFile.load(tiers != null ? tiers : root.resolve("config/tiers.yaml"));
        Tier t = ts.get(tier);
        if (t == null) throw new IllegalArgumentException("--tier '" + tier + "' is not in the tiers file; tiers there: " + ts.keySet());
        if (provider != Provider.CONTAINERS && provider != Provider.AUTO)
            throw new IllegalArgumentException("--provider " + provider.id() + ": the compute knee needs containers (or auto with Docker),"
                    + " since only a container can be given the tier's CPU limit");
        TrafficProfile p = TrafficProfile.load(profile != null ? profile : root.resolve("config/profile.yaml"));
        Path stamped = StudyCommands.timestamped(root.resolve("target/storecap/compute"));
        Path dir = out != null ? out : stamped.resolveSibling(stamped.getFileName() + "-" + tier);
        ComputeKnee k = ComputeKneeStage.measure(json ? new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) : System.out, t, p,
                new ComputeKneeStage.Options(provider, !full, seed));
        k.write(dir);
        if (json) {
            System.out.println(Json.JSON.writeValueAsString(k));
        } else {
            System.out.printf("%ncompute knee of %s: %s%n", t.id(), k.line());
            if (k.usl() != null)
                System.out.printf(Locale.ROOT, "USL: sigma %.4g, kappa %.4g, lambda %.1f requests/s, R-squared %.3f%s%n", k.usl().sigma(),
                        k.usl().kappa(), k.usl().lambda(), k.usl().rSquared(),
                        k.usl().peakConcurrency() == null ? "" : String.format(Locale.ROOT, ", peak at %.1f clients", k.usl().peakConcurrency()));
            if (k.kind() != MeasuredKind.KNEE && k.throughputMax() != null)
                System.out.printf(Locale.ROOT, "at least %.0f requests/s (the best level's mean: a %s, not a ceiling)%n", k.throughputMax(), k.kind().id());
            else if (k.throughputLow() != null)
                System.out.printf(Locale.ROOT, "X_max %.0f requests/s (95 %% %.0f-%s); %.2f round trips a request%n", k.throughputMax(),
                        k.throughputLow(), k.throughputHigh() == null ? "unbounded" : String.format(Locale.ROOT, "%.0f", k.throughputHigh()),
                        k.statementsPerTransaction() == null ? Double.NaN : k.statementsPerTransaction());
            if (k.pgbouncer() != null)
                System.out.printf("PgBouncer's own ceiling: %s; ≈ %s stores%n", k.pgbouncer().how(), io.storecap.model.Numbers.stores(k.pgbouncer().stores()));
            for (String n : k.notes()) System.out.println("note: " + n);
            System.out.println("written: " + dir.resolve(ComputeKnee.FILE));
        }
        return k.kind() == MeasuredKind.NONE ? 1 : 0;
    }
}

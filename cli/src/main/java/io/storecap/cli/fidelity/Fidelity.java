package io.storecap.cli.fidelity;

import io.storecap.environment.Cleanup;
import io.storecap.environment.DatabaseEnvironment;
import io.storecap.environment.EnvironmentException;
import io.storecap.environment.EnvironmentSpec;
import io.storecap.environment.Environments;
import io.storecap.environment.PostgresHandle;
import io.storecap.environment.Provider;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./storecap fidelity}: the Java emulation of Prisma 7's pool ({@code --pool=prisma7}) against
 * the real Prisma 7 client (PrismaClient + {@code @prisma/adapter-pg} in Node, fidelity/), on the same
 * local Postgres. Each case starts a fresh Node instance and a fresh reference service with one
 * function instance, drives both through the same steps at the same time, counts each side's
 * backends in pg_stat_activity every 100 ms, and compares the numbers within the case's tolerances.
 * Everything it starts is registered with {@link Cleanup}, so it is stopped on failure or Ctrl-C too.
 */
public final class Fidelity {
    /**
     * @param nodeProject the Node project with instance.js and its installed packages (fidelity/)
     * @param out         where fidelity.json and the logs go
     * @param cases       the cases to run, in order
     */
    public record Options(Path nodeProject, Path out, List<FidelityCase> cases) {}

    /** One case's outcome: both sides' numbers and counts, the checks, and whether all passed. */
    record Outcome(FidelityCase c, Trace.Result real, Trace.Result emulated, Map<String, Double> realNumbers,
                   Map<String, Double> emulatedNumbers, String error) {
        boolean pass() {
            return error == null && c.checks.stream().allMatch(k -> k.pass(realNumbers.get(k.metric()), emulatedNumbers.get(k.metric())));
        }
    }

    private Fidelity() {}

    /** Runs the cases; prints the table; writes fidelity.json. Exit code: 0 every case within tolerance, 1 otherwise. */
    public static int run(Options o, PrintStream out) throws IOException {
        Path node = preflight(o.nodeProject());
        Files.createDirectories(o.out());
        out.println("storecap fidelity: the Java emulation (--pool=prisma7) against the real Prisma 7 client, on one local Postgres");
        DatabaseEnvironment env = Environments.start(EnvironmentSpec.defaults().withProvider(Provider.LOCAL));
        List<Outcome> outcomes = new ArrayList<>();
        String versions = "";
        try {
            PostgresHandle pg = env.postgres();
            out.println("  Postgres " + pg.version() + "; backends of each side counted in pg_stat_activity every "
                    + BackendSampler.PERIOD_MS + " ms");
            for (FidelityCase c : o.cases()) {
                out.println("  case " + c.id + ": " + c.description + " ...");
                String[] seen = new String[1];
                Outcome oc = runCase(c, node, o, env, seen);
                if (seen[0] != null) versions = seen[0];
                outcomes.add(oc);
            }
        } finally {
            Cleanup.close(env);
        }
        FidelityReport report = new FidelityReport(outcomes, versions, EmulatedInstance.settings(true), o.out());
        report.print(out);
        Path json = report.writeJson();
        out.println("  " + json);
        return outcomes.stream().allMatch(Outcome::pass) ? 0 : 1;
    }

    /** A fresh Node instance and a fresh service for the case, driven at once; a failure is the case's, not the run's. */
    private static Outcome runCase(FidelityCase c, Path node, Options o, DatabaseEnvironment env, String[] versions) {
        RealInstance real = null;
        EmulatedInstance emulated = null;
        ExecutorService both = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fidelity-" + c.id);
            t.setDaemon(true);
            return t;
        });
        try {
            real = RealInstance.start(node, o.nodeProject(), env.postgres(), o.out().resolve(c.id + "-node.log"));
            versions[0] = real.versions();
            emulated = EmulatedInstance.start(env, c.attachDatabasePool, o.out().resolve(c.id + "-service.log"));
            RealInstance r = real;
            EmulatedInstance e = emulated;
            Future<Trace.Result> fr = both.submit(() -> drive(c, r, env.postgres()));
            Future<Trace.Result> fe = both.submit(() -> drive(c, e, env.postgres()));
            Trace.Result rr = fr.get(), re = fe.get();
            return new Outcome(c, rr, re, c.measure(rr), c.measure(re), null);
        } catch (ExecutionException e) {
            return failed(c, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(c, e);
        } catch (RuntimeException e) {
            return failed(c, e);
        } finally {
            both.shutdownNow();
            Cleanup.close(real);
            Cleanup.close(emulated);
        }
    }

    private static Outcome failed(FidelityCase c, Throwable e) {
        return new Outcome(c, null, null, Map.of(), Map.of(), String.valueOf(e.getMessage() == null ? e : e.getMessage()));
    }

    /** One side through the case's steps, its backends counted all along. */
    private static Trace.Result drive(FidelityCase c, Side s, PostgresHandle pg) throws Exception {
        Trace t = new Trace();
        try (BackendSampler sampler = BackendSampler.start(pg, s.applicationName(), t.t0())) {
            c.drive(s, t);
            return t.result(sampler.samples());
        }
    }

    /**
     * The node executable, once the Node project is there with its packages installed and its client
     * generated; else what is missing and the command that installs it.
     */
    static Path preflight(Path project) {
        if (!Files.isRegularFile(project.resolve("instance.js")))
            throw new IllegalArgumentException("--node-project " + project + ": no instance.js there (the project's fidelity/ folder has it)");
        Path node = onPath("node");
        if (node == null)
            throw new EnvironmentException("node is not installed: the fidelity check runs the real Prisma 7 client in Node.js 20.19+."
                    + " Install it (https://nodejs.org/en/download, or your package manager's nodejs and npm if 20.19+), then run ./storecap fidelity");
        String install = "cd " + project + " && npm ci && PRISMA_SCHEMA_ENGINE_BINARY=/usr/bin/true ./node_modules/.bin/prisma generate --schema schema.prisma";
        if (!Files.isDirectory(project.resolve("node_modules/@prisma/adapter-pg")) || !Files.isDirectory(project.resolve("node_modules/pg")))
            throw new EnvironmentException("the fidelity check's Node packages are not installed in " + project
                    + ": ./storecap fidelity installs them (npm ci), or run: " + install);
        if (!Files.isRegularFile(project.resolve("node_modules/.prisma/client/default.js")))
            throw new EnvironmentException("the Prisma client is not generated in " + project
                    + ": ./storecap fidelity generates it, or run: " + install);
        return node;
    }

    private static Path onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}

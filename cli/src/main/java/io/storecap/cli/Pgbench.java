package io.storecap.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline: pgbench running the service's own SQL (the recommendations and cart-event
 * endpoints' statements, mixed as the profile mixes them) on the bench's database, through
 * PgBouncer and directly, with a connection kept and with a new one per transaction.
 */
final class Pgbench {
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");

    /** pgbench's transactions a second in each setting; all null when pgbench is not installed. */
    record Baseline(Double pooledTps, Double directTps, Double directNewConnectionTps) {}

    private final PrintStream out;
    private final BenchDatabase db;
    private final int connections;
    private final int seconds;
    /** The pgbench binary, or null when none is installed. */
    private final Path bin;
    private final Path scripts;

    /** pgbench as found on this machine, its scripts written into {@code dir}. */
    Pgbench(PrintStream out, BenchDatabase db, int connections, int seconds, Path dir) throws IOException {
        this.out = out;
        this.db = db;
        this.connections = connections;
        this.seconds = seconds;
        this.bin = find();
        this.scripts = writeScripts(dir);
    }

    boolean installed() { return bin != null; }

    /**
     * pgbench through PgBouncer (its CPU and pooler traffic per transaction recorded as {@link
     * Bench#PGBENCH_POOLED}), directly, and directly with a new connection per transaction (its
     * CPU recorded too).
     */
    Baseline measure(BenchFigures figures) throws Exception {
        var c0 = db.cpu(null).snapshot();
        var w0 = db.poolerStats();
        Double pooled = tps(db.bouncer.handle().port(), false);
        long pooledTx = pooled == null ? 0 : Math.round(pooled * seconds);
        figures.split(Bench.PGBENCH_POOLED, c0, db.cpu(null).snapshot(), pooledTx);
        figures.wire(Bench.PGBENCH_POOLED, w0, db.poolerStats(), pooledTx);
        Double direct = tps(db.pg.handle().port(), false);
        c0 = db.cpu(null).snapshot();
        Double directC = tps(db.pg.handle().port(), true);
        figures.split("pgbench -C, direct", c0, db.cpu(null).snapshot(), directC == null ? 0 : Math.round(directC * seconds));
        return new Baseline(pooled, direct, directC);
    }

    static Path find() {
        List<Path> c = new ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) if (!d.isEmpty()) c.add(Path.of(d, "pgbench"));
        try (var s = Files.list(Path.of("/usr/lib/postgresql"))) {
            s.sorted(Comparator.reverseOrder()).forEach(v -> c.add(v.resolve("bin/pgbench")));
        } catch (IOException ignored) {
            // no Debian PostgreSQL packages
        }
        return c.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** The recommendations and cart-event endpoints' SQL as pgbench scripts, mixed 1:2 as the profile's rates are. */
    private static Path writeScripts(Path dir) throws IOException {
        String shop = "format('store-%s.myshopify.com', lpad(:s::text, 5, '0'))";
        Files.writeString(dir.resolve("recommendations.sql"), "\\set s random(1, 1000)\n"
                + "SELECT enabled, \"recommendationCount\", \"freeShippingThreshold\" FROM \"Settings\" WHERE shop = " + shop + ";\n"
                + "SELECT id, name, \"productIds\", discount FROM \"Bundle\" WHERE shop = " + shop + " AND active ORDER BY id;\n"
                + "SELECT \"productId\" FROM \"CartAnalytics\" WHERE shop = " + shop + " AND \"eventType\" = 'add_to_cart'"
                + " AND \"createdAt\" > now() - interval '30 days' GROUP BY \"productId\" ORDER BY count(*) DESC, \"productId\" LIMIT 4;\n");
        Files.writeString(dir.resolve("cart-event.sql"), "\\set s random(1, 1000)\n"
                + "INSERT INTO \"CartAnalytics\"(shop, \"eventType\", \"productId\", \"cartValue\") VALUES (" + shop + ", 'add_to_cart', 'p1', 42);\n");
        return dir;
    }

    /** pgbench's tps against a port, on the seeded data restored; null when pgbench is not installed. */
    private Double tps(int port, boolean newConnectionEach) throws Exception {
        if (bin == null) return null;
        db.restoreSeed();
        var h = db.pg.handle();
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-n", "-M", "extended", "-c", String.valueOf(connections), "-j", "2",
                "-T", String.valueOf(seconds), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", h.appUser(),
                "-f", scripts.resolve("recommendations.sql") + "@1", "-f", scripts.resolve("cart-event.sql") + "@2"));
        if (newConnectionEach) cmd.add("-C");
        cmd.add(h.database());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", h.appPassword());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("pgbench did not finish");
        }
        Matcher m = TPS.matcher(output);
        if (p.exitValue() != 0 || !m.find()) throw new IllegalStateException("pgbench failed: " + output.strip());
        double tps = Double.parseDouble(m.group(1));
        out.printf("  pgbench port %d%s: %.0f tps%n", port, newConnectionEach ? " -C" : "", tps);
        return tps;
    }
}

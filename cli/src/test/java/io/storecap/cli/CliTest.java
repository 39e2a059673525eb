package io.storecap.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command tree's parsing: help per command, and bad values refused with the option and the value named. */
class CliTest {

    record Outcome(int code, String out, String err) {
        String all() { return out + err; }
    }

    static Outcome run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8), pe = new PrintStream(e, true, StandardCharsets.UTF_8);
        PrintStream oldOut = System.out, oldErr = System.err;
        System.setOut(po);
        System.setErr(pe);
        try {
            int code = Cli.run(po, pe, args);
            return new Outcome(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpListsEveryCommandAndEachCommandHasItsOwn() {
        Outcome help = run("help");
        assertEquals(0, help.code(), help.all());
        for (String c : new String[]{"study", "report", "gate", "whatif", "bench", "env", "faults", "model", "test"})
            assertTrue(help.out().contains(c), c + " in:\n" + help.out());
        Outcome study = run("study", "--help");
        assertEquals(0, study.code(), study.all());
        assertTrue(study.out().contains("--seed") && study.out().contains("--quick") && study.out().contains("--provider"), study.out());
        assertEquals(study.out(), run("help", "study").out(), "help COMMAND and COMMAND --help say the same");
        assertTrue(run("env", "up", "--help").out().contains("--pooler"));
    }

    @Test
    void aBadNumberNamesTheOptionAndTheValue() {
        Outcome r = run("bench", "--seconds", "x");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--seconds 'x' is not a whole number"), r.err());
        assertFalse(r.all().contains("For input string"), r.all());

        Outcome seed = run("study", "--seed", "12ab");
        assertEquals(2, seed.code());
        assertTrue(seed.err().contains("--seed '12ab' is not a whole number"), seed.err());

        Outcome drop = run("gate", "--summary", "s.json", "--baseline", "b.json", "--max-drop-pct", "10");
        assertEquals(2, drop.code());
        assertTrue(drop.err().contains("--max-drop-pct is gone: --baseline now flags a regression only when a claim's new 95 % interval"),
                drop.err());
    }

    @Test
    void badEnumsDurationsAndRangesSayWhatIsAllowed(@TempDir Path dir) throws Exception {
        Outcome scenario = run("study", "--scenario", "spike");
        assertEquals(2, scenario.code());
        assertTrue(scenario.err().contains("--scenario") && scenario.err().contains("stair, peak, burst, soak"), scenario.err());

        for (String port : new String[]{"http", "70000", "-3"}) {
            Outcome metrics = run("study", "--metrics-port", port);
            assertEquals(2, metrics.code(), metrics.all());
            assertTrue(metrics.err().contains("--metrics-port") && metrics.err().contains("0 for a free port, or off"), metrics.err());
        }

        Files.createDirectories(dir.resolve("runs"));
        Outcome ttl = run("whatif", "--tier", "free", "--route", "direct", "--stores", "20", "--ttl", "5 parsecs", "--runs", dir.resolve("runs").toString());
        assertEquals(2, ttl.code());
        assertTrue(ttl.err().contains("--ttl '5 parsecs' is not a duration"), ttl.err());

        Outcome route = run("whatif", "--tier", "free", "--route", "sideways", "--stores", "20");
        assertEquals(2, route.code());
        assertTrue(route.err().contains("--route") && route.err().contains("sideways"), route.err());

        Outcome connections = run("bench", "--connections", "500");
        assertEquals(2, connections.code());
        assertTrue(connections.err().contains("--connections must be 1..100, was 500"), connections.err());
    }

    @Test
    void unknownOptionsAndMissingValuesAreNamed() {
        Outcome unknown = run("report", "--run", "x", "--frobnicate");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown option '--frobnicate'"), unknown.err());

        Outcome missing = run("report");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--run"), missing.err());

        Outcome nothing = run("gate", "--summary", "s.json");
        assertEquals(2, nothing.code());
        assertTrue(nothing.err().contains("nothing to check"), nothing.err());

        Outcome noCommand = run();
        assertEquals(2, noCommand.code());
        assertTrue(noCommand.err().contains("a command is needed"), noCommand.err());
    }

    @Test
    void modelUslFitsAUsersCsvAndRefusesAMissingFile(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("usl.csv");
        // throughput of a system with sigma 0.05, kappa 0.001, lambda 100: the fit must find a peak
        StringBuilder b = new StringBuilder("concurrency,throughput\n");
        for (int n : new int[]{1, 2, 4, 8, 16, 32, 64})
            b.append(n).append(',').append(100.0 * n / (1 + 0.05 * (n - 1) + 0.001 * n * (n - 1))).append('\n');
        Files.writeString(csv, b);
        Outcome fit = run("model", "usl", "--csv", csv.toString(), "--json");
        assertEquals(0, fit.code(), fit.all());
        assertTrue(fit.out().contains("\"sigma\""), fit.out());

        Outcome none = run("model", "usl", "--csv", dir.resolve("nope.csv").toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("nope.csv does not exist"), none.err());
    }

    @Test
    void modelComputeRefusesAnUnknownTierAndAProviderWithoutCpuLimits() {
        Outcome tier = run("model", "compute", "--tier", "nope", "--tiers", "../config/tiers.yaml");
        assertEquals(2, tier.code(), tier.all());
        assertTrue(tier.err().contains("--tier 'nope' is not in the tiers file; tiers there: [free, launch, scale"), tier.err());
        Outcome local = run("model", "compute", "--tier", "free", "--tiers", "../config/tiers.yaml", "--provider", "local");
        assertEquals(2, local.code(), local.all());
        assertTrue(local.err().contains("--provider local: the compute knee needs containers"), local.err());
        assertTrue(run("model", "compute", "--help").out().contains("--full"));
    }
}

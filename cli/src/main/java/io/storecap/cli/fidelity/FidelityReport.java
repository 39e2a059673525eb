package io.storecap.cli.fidelity;

import io.storecap.model.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The fidelity check's side-by-side table (stdout) and fidelity.json. */
final class FidelityReport {
    /** What the check does not cover, said with every result. */
    static final List<String> NOTES = List.of(
            "idle: the real Node process stays awake, so pg.Pool's 10 s idle timer runs; the emulation runs that timer only while"
                    + " its instance is awake, which attach-database-pool=on ensures (Vercel's attachDatabasePool).",
            "freeze: SIGSTOP stops the Node process's timers, as Vercel's suspension of an idle instance does; its backends stay."
                    + " The emulation with attach-database-pool=off suspends its instance as each response ends.",
            "reclaim: SIGKILL makes the kernel close the process's sockets, so Postgres ends its backends at once, as the emulation"
                    + " does with --zombie-hold-ms=0. A reclaimed Vercel microVM may instead leave them as zombies (no FIN reaches"
                    + " Postgres) until TCP keepalive or idle_session_timeout ends them: --zombie-hold-ms models that, and is not"
                    + " checked here.",
            "prisma6: --pool=prisma6 is not checked against the real client: Prisma 6's pool lives in its native query engine,"
                    + " which prisma downloads from binaries.prisma.sh at install, and that host is not reachable where this"
                    + " check was built. Prisma 7 needs no engine binary: its pool (pg.Pool via @prisma/adapter-pg) is the real one here.");

    private final List<Fidelity.Outcome> outcomes;
    private final String realVersions;
    private final Map<String, String> serviceSettings;
    private final Path dir;

    FidelityReport(List<Fidelity.Outcome> outcomes, String realVersions, Map<String, String> serviceSettings, Path dir) {
        this.outcomes = outcomes;
        this.realVersions = realVersions;
        this.serviceSettings = serviceSettings;
        this.dir = dir;
    }

    void print(PrintStream out) {
        out.println();
        out.println("  real:     one Node process, PrismaClient + PrismaPg (" + realVersions + ")");
        out.println("  emulated: reference service " + serviceSettings.entrySet().stream()
                .filter(e -> !e.getKey().equals("attach-database-pool")).map(e -> "--" + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ")) + " (attach-database-pool per case)");
        out.println();
        String fmt = "  %-8s %-42s %9s %9s  %-12s %s%n";
        out.printf(fmt, "case", "check", "real", "emulated", "tolerance", "result");
        for (Fidelity.Outcome o : outcomes) {
            if (o.error() != null) {
                out.printf(fmt, o.c().id, "error: " + o.error(), "", "", "", "FAIL");
                continue;
            }
            for (FidelityCase.Check k : o.c().checks) {
                Double r = o.realNumbers().get(k.metric()), e = o.emulatedNumbers().get(k.metric());
                out.printf(fmt, o.c().id, k.what(), Trace.num(r), Trace.num(e), k.tolerance(), k.pass(r, e) ? "pass" : "FAIL");
            }
        }
        long passed = outcomes.stream().filter(Fidelity.Outcome::pass).count();
        out.println();
        out.println("  " + passed + " of " + outcomes.size() + " cases within tolerance" + (passed == outcomes.size() ? "" : ": the emulation differs from the real client"));
        for (String n : NOTES) out.println("  note, " + n);
    }

    Path writeJson() throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("createdAt", Instant.now().toString());
        doc.put("real", "one Node process, PrismaClient + PrismaPg: " + realVersions);
        doc.put("emulated", serviceSettings);
        doc.put("sampleEveryMs", BackendSampler.PERIOD_MS);
        doc.put("pass", outcomes.stream().allMatch(Fidelity.Outcome::pass));
        List<Map<String, Object>> cases = new ArrayList<>();
        for (Fidelity.Outcome o : outcomes) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", o.c().id);
            c.put("description", o.c().description);
            c.put("real", side(o.realNumbers(), o.real()));
            c.put("emulated", side(o.emulatedNumbers(), o.emulated()));
            c.put("tolerance", o.c().checks.stream().map(k -> k.metric() + " " + k.tolerance()).collect(Collectors.joining("; ")));
            List<Map<String, Object>> checks = new ArrayList<>();
            for (FidelityCase.Check k : o.c().checks) {
                Map<String, Object> ck = new LinkedHashMap<>();
                Double r = o.realNumbers().get(k.metric()), e = o.emulatedNumbers().get(k.metric());
                ck.put("metric", k.metric());
                ck.put("what", k.what());
                ck.put("real", r);
                ck.put("emulated", e);
                ck.put("tolerance", k.tolerance());
                ck.put("pass", o.error() == null && k.pass(r, e));
                checks.add(ck);
            }
            c.put("checks", checks);
            c.put("pass", o.pass());
            if (o.error() != null) c.put("error", o.error());
            cases.add(c);
        }
        doc.put("cases", cases);
        doc.put("notes", NOTES);
        Path f = dir.resolve("fidelity.json");
        Json.JSON.writeValue(f.toFile(), doc);
        return f;
    }

    private static Map<String, Object> side(Map<String, Double> numbers, Trace.Result r) {
        Map<String, Object> m = new LinkedHashMap<>(numbers);
        if (r != null) {
            m.put("marksMs", r.marks());
            m.put("timeline", r.timeline());
        }
        return m;
    }
}

package io.storecap.cli;

import io.storecap.cli.fidelity.Fidelity;
import io.storecap.cli.fidelity.FidelityCase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./storecap fidelity}: the emulation of Prisma 7's pool checked against the real client. */
@Command(name = "fidelity", mixinStandardHelpOptions = true,
        description = {"Checks the emulation of Prisma 7's pool against the real Prisma 7 client.",
                "The service with --pool=prisma7 against PrismaClient + @prisma/adapter-pg",
                "in Node (fidelity/), on one local Postgres: 1 query, a fan-out of 20, idle 13 s,",
                "frozen 12 s (SIGSTOP), reclaimed (SIGKILL); each side's backends counted",
                "in pg_stat_activity every 100 ms. Prints a side-by-side table, writes",
                "fidelity.json. Needs Node.js 20.19+ (./storecap installs fidelity/'s",
                "packages). Exit: 0 every case within its tolerance, 1 a case is not,",
                "2 bad input or Node or its packages missing."})
final class FidelityCmd implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "where fidelity.json and the logs go (default target/storecap/fidelity/<time>)") Path out;
    @Option(names = "--case", paramLabel = "NAME", split = ",",
            description = "only these cases (repeatable or comma-separated): single, fanout, idle, freeze, reclaim (default all)") List<String> cases;
    @Option(names = "--node-project", paramLabel = "DIR", description = "the Node project with instance.js (default fidelity/)") Path nodeProject;

    @Override
    public Integer call() throws Exception {
        List<FidelityCase> chosen = FidelityCase.parse(cases);
        Path root = StudyCommands.root();
        Path dir = out != null ? out : StudyCommands.timestamped(root.resolve("target/storecap/fidelity"));
        Path project = (nodeProject != null ? nodeProject : root.resolve("fidelity")).toAbsolutePath().normalize();
        return Fidelity.run(new Fidelity.Options(project, dir.toAbsolutePath(), chosen), System.out);
    }
}

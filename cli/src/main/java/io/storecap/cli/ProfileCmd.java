package io.storecap.cli;

import io.storecap.model.logs.FromLogs;
import io.storecap.model.logs.LogRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./storecap profile from-logs}: a traffic profile from the app's own logs (model {@code io.storecap.model.logs}). */
@Command(name = "profile", mixinStandardHelpOptions = true, description = "Traffic profiles from your own data.",
        subcommands = {ProfileCmd.FromLogsCmd.class})
final class ProfileCmd {

    @Command(name = "from-logs", mixinStandardHelpOptions = true,
            description = {"Writes a traffic profile (config/profile.yaml's format) from the app's logs:",
                    "per kind, the per-store baseline (median whole hour) and peak (busiest",
                    "hour); the store-size skew (Zipf exponent, 95 %% interval); the busiest hour",
                    "and its minute peak-to-mean ratio. Each figure says where it comes from.",
                    "A malformed line: exit 2, the count and the first bad line; nothing written."})
    static final class FromLogsCmd implements Callable<Integer> {
        @Option(names = "--vercel", paramLabel = "FILE.ndjson", description = "Vercel log drain NDJSON (repeatable)") List<Path> vercel;
        @Option(names = "--requests", paramLabel = "FILE.csv", description = "a CSV of requests: timestamp,method,path,status,shop (repeatable)") List<Path> requests;
        @Option(names = "--webhooks", paramLabel = "FILE.csv", description = "webhook deliveries: shop,topic,created_at (repeatable); the webhook rate then comes from these alone") List<Path> webhooks;
        @Option(names = "--rules", paramLabel = "FILE", description = "which path is which request kind (default " + LogRules.DEFAULT_FILE + ")") Path rules;
        @Option(names = "--base", paramLabel = "FILE", description = "the profile whose figures the logs cannot give are kept (default config/profile.yaml)") Path base;
        @Option(names = "--stores", paramLabel = "N", description = "the stores the logs cover, when some sent nothing (default: the stores the logs name)") Integer stores;
        @Option(names = "--name", paramLabel = "NAME", description = "the profile's name (default: from-logs and the dates)") String name;
        @Option(names = "--out", required = true, paramLabel = "PROFILE.yaml", description = "where to write the profile (written only when everything was read)") Path out;

        @Override
        public Integer call() throws IOException {
            if (Files.isDirectory(out)) throw new IllegalArgumentException("--out " + out + " is a folder; name a file, e.g. " + out.resolve("profile.yaml"));
            Path root = StudyCommands.root();
            FromLogs.Result r;
            try {
                r = FromLogs.run(new FromLogs.Options(vercel, requests, webhooks, rules != null ? rules : shown(root.resolve(LogRules.DEFAULT_FILE)),
                        base != null ? base : shown(root.resolve("config/profile.yaml")), stores, name), Instant.now());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + "\nNothing was written to " + out + ".", e);
            }
            writeAtomically(out, r.yaml());
            System.out.print(FromLogs.summary(r));
            System.out.println("wrote " + out + "; run a study on it with ./storecap study --profile " + out);
            return 0;
        }
    }

    /** A default file as the provenance names it: relative to the working folder when inside it (./storecap runs in the project's). */
    private static Path shown(Path p) {
        Path here = Path.of("").toAbsolutePath();
        return p.startsWith(here) ? here.relativize(p) : p;
    }

    /** Writes a temporary file beside {@code out} and moves it into place, so {@code out} is either the old file or the whole new one. */
    static void writeAtomically(Path out, String text) throws IOException {
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        // beside the target (same file system, so the move is a rename), with the permissions a new file gets
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

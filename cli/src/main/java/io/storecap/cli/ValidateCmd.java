package io.storecap.cli;

import io.storecap.model.validation.ValidationResult;
import io.storecap.runner.Study;
import io.storecap.runner.Validate;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./storecap validate}: the model's frozen predictions against measurements at TTLs it never saw (see {@link Validate}). */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check the serverless model where it extrapolates: calibrate, freeze its predictions, then measure a ladder of idle TTLs",
                "(up to 64x the quick stair's) at a fixed load; writes validation.json and exits 1 when coverage is below the rule."})
final class ValidateCmd implements Callable<Integer> {
    @Option(names = "--quick", description = "the quick ladder: TTLs 4-256 s at 1,500 stores (~12 min; the default)") boolean quick;
    @Option(names = "--full", description = "adds a 300 s TTL held for 30 minutes of production time, at 3,000 stores (~25 min)") boolean full;
    @Option(names = "--out", paramLabel = "DIR", description = "write here (default target/storecap/validations/<time>)") Path out;
    @Option(names = "--seed", paramLabel = "N", description = "seed of the arrivals and the predictions' draws") Long seed;
    @Option(names = "--runtime", paramLabel = "ID", description = "the runtime of config/runtimes.yaml (default: its default)") String runtime;
    @ArgGroup(exclusive = false) StudyCommands.ConfigFiles files = new StudyCommands.ConfigFiles();

    @Override
    public Integer call() {
        if (quick && full) throw new IllegalArgumentException("--quick and --full exclude each other; pass one");
        Path root = StudyCommands.root();
        Path dir = out != null ? out : StudyCommands.timestamped(root.resolve("target/storecap/validations"));
        ValidationResult r = new Validate(System.out).run(files.inputs(root), new Validate.Options(full, seed, runtime), dir);
        if (out == null) link(root.resolve("target/storecap/validations/latest"), dir);
        return r.validated() ? 0 : 1;
    }

    /** Points validations/latest at this validation: the next study's report reads it from there. */
    private static void link(Path latest, Path dir) {
        try {
            java.nio.file.Files.deleteIfExists(latest);
            java.nio.file.Files.createSymbolicLink(latest, latest.getParent().relativize(dir));
        } catch (java.io.IOException | UnsupportedOperationException e) {
            System.err.println("storecap: could not link " + latest + " to " + dir + ": " + e.getMessage()
                    + "; pass the validation to the report by copying it there");
        }
    }
}

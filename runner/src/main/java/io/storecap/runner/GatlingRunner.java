package io.storecap.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a Gatling simulation inside this JVM and returns its exit code (0, or 2 when assertions
 * failed). Gatling's console table goes to a file in the results folder: the caller prints its own
 * progress. Analytics are off: storecap sends nothing to any other address.
 */
public final class GatlingRunner {
    private GatlingRunner() {}

    public static int run(Class<?> simulation, Path resultsDir, String description) {
        System.setProperty("gatling.data.enableAnalytics", "false");
        PrintStream stdout = System.out;
        try {
            Files.createDirectories(resultsDir);
            try (PrintStream console = new PrintStream(Files.newOutputStream(resultsDir.resolve("gatling-console.log")), true)) {
                System.setOut(console);
                return io.gatling.app.Gatling$.MODULE$.fromArgs(new String[]{
                        "--simulation", simulation.getName(),
                        "--results-folder", resultsDir.resolve("gatling").toAbsolutePath().toString(),
                        "--run-description", description});
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write Gatling's output under " + resultsDir + ": " + e.getMessage(), e);
        } finally {
            System.setOut(stdout);
        }
    }
}

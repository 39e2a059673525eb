package io.storecap.cli;

import io.storecap.environment.Cleanup;
import io.storecap.environment.EnvironmentException;
import io.storecap.environment.Provider;
import io.storecap.model.Route;
import io.storecap.reports.WhatIfCommand;
import io.storecap.reports.gates.GatesException;
import io.storecap.runner.MetricsPort;
import io.storecap.simulations.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The {@code ./storecap} command tree: one picocli command per stage a user runs, each with its own
 * help and typed options. Exit codes: 0 done (every gate passed), 1 a gate, check or run failed,
 * 2 bad input (the message names the option or file and what to write instead).
 */
@Command(name = "storecap", mixinStandardHelpOptions = true, version = "storecap 0.1.0",
        description = "Capacity studies of a multi-tenant Shopify app on serverless Postgres.",
        subcommands = {StudyCommands.StudyCmd.class, StudyCommands.ReportCmd.class, ValidateCmd.class, ToolCommands.GateCmd.class, ToolCommands.WhatIfCmd.class,
                StudyCommands.BenchCmd.class, ToolCommands.EnvCmd.class, StudyCommands.FaultsCmd.class, ToolCommands.ModelCmd.class,
                FidelityCmd.class, ProfileCmd.class, Cli.Test.class, CommandLine.HelpCommand.class},
        footer = {"", "Run ./storecap help COMMAND (or COMMAND --help) for a command's options."})
public final class Cli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is needed: study, report, gate, whatif, bench, env, faults, model or fidelity");
    }

    /** {@code ./storecap test} is the shell wrapper's: it installs what the tests need and runs Maven. */
    @Command(name = "test", description = "The full test suite (run by the ./storecap wrapper with Maven, not here).")
    static final class Test implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            System.err.println("storecap: run ./storecap test from the project folder: the wrapper installs what the tests need and runs mvn test");
            return 2;
        }
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(System.out, System.err, args);
        } finally {
            Cleanup.closeAll();
        }
        System.exit(code);
    }

    /** Runs one command line; returns its exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return commandLine(out, err).execute(args);
    }

    /** The command tree with storecap's converters and error handling, writing to {@code out} and {@code err}. */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Cli());
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.registerConverter(Integer.class, Cli::wholeNumber).registerConverter(int.class, Cli::wholeNumber);
        cl.registerConverter(Long.class, Cli::longNumber).registerConverter(long.class, Cli::longNumber);
        cl.registerConverter(Double.class, Cli::number).registerConverter(double.class, Cli::number);
        cl.registerConverter(Route.class, Route::parse);
        cl.registerConverter(Provider.class, Provider::parse);
        cl.registerConverter(Scenario.class, Scenario::parse);
        cl.registerConverter(MetricsPort.class, MetricsPort::parse);
        cl.registerConverter(Path.class, Path::of);
        cl.setParameterExceptionHandler(Cli::badOption);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> failure(e, cmd));
        return cl;
    }

    /** A bad option: one line naming the option and the value, then the command's usage; exit 2. */
    private static int badOption(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("storecap " + name(cmd) + ": " + message(e));
        cmd.usage(err);
        return 2;
    }

    /** "--seconds 'x' is not a whole number" rather than picocli's "Invalid value for option '--seconds': ...". */
    static String message(ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u)
            return "unknown option '" + String.join(" ", u.getUnmatched()) + "'; the options of this command are listed below";
        ArgSpec arg = e.getArgSpec();
        Throwable cause = e.getCause();
        if (cause instanceof CommandLine.TypeConversionException || cause instanceof IllegalArgumentException) {
            String option = arg instanceof OptionSpec o ? o.longestName() : arg == null ? "a value" : arg.paramLabel();
            String msg = cause.getMessage();
            // a domain parser's message (Route.parse, Provider.parse) already names the value
            return cause instanceof CommandLine.TypeConversionException ? option + " '" + e.getValue() + "' " + msg : option + ": " + msg;
        }
        return e.getMessage();
    }

    /** A failure inside a command: bad input (exit 2) said in one line; anything else is a bug (exit 1, with the trace). */
    private static int failure(Exception e, CommandLine cmd) {
        PrintWriter err = cmd.getErr();
        if (e instanceof IllegalArgumentException || e instanceof EnvironmentException || e instanceof GatesException) {
            err.println("storecap " + name(cmd) + ": " + e.getMessage());
            return 2;
        }
        // a bug or an unexpected failure: say so, stop everything, and exit rather than hang on stray threads
        err.println("storecap: unexpected failure: " + e);
        e.printStackTrace(err);
        return 1;
    }

    private static String name(CommandLine cmd) {
        String q = cmd.getCommandSpec().qualifiedName(" ");
        return q.startsWith("storecap ") ? q.substring("storecap ".length()) : q;
    }

    private static Integer wholeNumber(String s) {
        try {
            return Integer.valueOf(s.trim().replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("is not a whole number");
        }
    }

    private static Long longNumber(String s) {
        try {
            return Long.valueOf(s.trim().replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("is not a whole number");
        }
    }

    private static Double number(String s) {
        try {
            double v = Double.parseDouble(s.trim().replaceAll("[xX%]$", ""));
            if (!Double.isFinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("is not a number (e.g. 10 or 0.5)");
        }
    }

    /** "90", "90s", "5m", "1.5h", "500ms" as seconds (the whatif durations). */
    static final class Duration implements ITypeConverter<Double> {
        @Override
        public Double convert(String s) {
            try {
                return WhatIfCommand.duration(s, "");
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("is not a duration; write e.g. 10s, 5m or 1h");
            }
        }
    }
}

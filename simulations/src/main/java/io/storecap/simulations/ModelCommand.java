package io.storecap.simulations;

import io.storecap.model.Json;
import io.storecap.model.queue.UslCsv;
import io.storecap.model.queue.UslResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code ./storecap model usl --csv FILE [--json]}: the model stage's tools on the user's own data. */
final class ModelCommand {
    private ModelCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("usl")) {
            err.println("usage: ./storecap model usl --csv FILE [--json]");
            return 2;
        }
        Path csv = null;
        boolean json = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--csv" -> {
                    if (i + 1 >= args.length) throw new IllegalArgumentException("--csv needs a file");
                    csv = Path.of(args[++i]);
                }
                case "--json" -> json = true;
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "' for model usl; known: --csv FILE, --json");
            }
        }
        if (csv == null) throw new IllegalArgumentException("model usl needs --csv FILE (a header and two columns: concurrency, throughput)");
        String text;
        try {
            text = Files.readString(csv);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("CSV file " + csv + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + csv + ": " + e.getMessage());
        }
        UslResult r;
        try {
            r = UslResult.fit(UslCsv.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(csv + ": " + e.getMessage());
        }
        if (json) {
            try {
                out.println(Json.JSON.writeValueAsString(r));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.println(r.toText());
        }
        return 0;
    }
}

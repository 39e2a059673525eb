package io.storecap.reports;

import com.fasterxml.jackson.core.type.TypeReference;
import io.storecap.model.Json;
import io.storecap.model.ModelSettings;
import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.whatif.WhatIf;
import io.storecap.model.whatif.WhatIfAnswer;
import io.storecap.model.whatif.WhatIfQuery;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./storecap whatif --tier T --route R --stores N [--profile F] [--ttl D] [--connection-limit K]
 * [--pattern P] [--rate X] [--window D] [--json]}: the calibrated model at settings no run used, without
 * running load ({@link WhatIf}). Durations are seconds, or with a unit: 10s, 5m, 1h. Exit code 0 with an
 * answer, 2 for a question that cannot be answered (the message says why and what to change).
 */
public final class WhatIfCommand {
    private WhatIfCommand() {}

    public static final String USAGE = """
            usage: storecap whatif --tier T --route direct|pooled --stores N [--profile FILE] [--ttl DURATION]
                                   [--connection-limit K] [--pattern NAME] [--rate MULTIPLIER] [--window DURATION] [--json]
              --ttl        idle TTL of a function instance, e.g. 10s, 5m (default: as the study ran)
              --profile    a traffic profile (profile.yaml) whose per-store rate replaces the study's
              --rate       per-store peak rate multiplier (default 1)
              --pattern    an anti-pattern the study measured (client-per-request, default-limit-fanout, ...)
              --window     the span peaks are taken over (default: a study level; 1h for a busy hour)
            """;

    public static int run(String[] args, List<RunResult> runs, Map<String, Tier> tiers, PrintStream out) {
        String tier = null, route = null, pattern = null, profile = null;
        Integer stores = null, limit = null;
        Double ttl = null, window = null;
        double rate = 1;
        boolean json = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--json" -> json = true;
                    case "--help", "-h" -> { out.print(USAGE); return 0; }
                    case "--tier" -> tier = value(args, ++i, a);
                    case "--route" -> route = value(args, ++i, a);
                    case "--stores" -> stores = whole(value(args, ++i, a), a);
                    case "--profile" -> profile = value(args, ++i, a);
                    case "--ttl" -> ttl = duration(value(args, ++i, a), a);
                    case "--window" -> window = duration(value(args, ++i, a), a);
                    case "--connection-limit" -> limit = whole(value(args, ++i, a), a);
                    case "--pattern" -> pattern = value(args, ++i, a);
                    case "--rate" -> rate = number(value(args, ++i, a), a);
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            if (tier == null || route == null || stores == null)
                throw new IllegalArgumentException("--tier, --route and --stores are required");
            Map<String, Object> prof = profile == null ? null : readProfile(Path.of(profile));
            WhatIfQuery q = new WhatIfQuery(tier, Route.parse(route), stores, rate, prof, ttl, limit, pattern, window);
            WhatIfAnswer answer = WhatIf.answer(q, runs, tiers, ModelSettings.defaults());
            if (json) out.println(Json.JSON.writeValueAsString(SummaryJsonNumbers.clean(Json.JSON.valueToTree(answer))));
            else out.print(WhatIf.text(answer));
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            out.println("whatif: " + e.getMessage());
            out.print(USAGE);
            return 2;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }

    private static int whole(String v, String option) {
        try { return Integer.parseInt(v.replace(",", "").replace("_", "")); } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + v + "' is not a whole number");
        }
    }

    private static double number(String v, String option) {
        try { return Double.parseDouble(v.toLowerCase(Locale.ROOT).replaceAll("x$", "")); } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + v + "' is not a number, e.g. 2 or 0.5");
        }
    }

    /** "90", "90s", "5m", "1.5h", "500ms" -> seconds. */
    public static double duration(String v, String option) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        double unit = 1;
        if (s.endsWith("ms")) { unit = 0.001; s = s.substring(0, s.length() - 2); }
        else if (s.endsWith("s")) s = s.substring(0, s.length() - 1);
        else if (s.endsWith("min")) { unit = 60; s = s.substring(0, s.length() - 3); }
        else if (s.endsWith("m")) { unit = 60; s = s.substring(0, s.length() - 1); }
        else if (s.endsWith("h")) { unit = 3600; s = s.substring(0, s.length() - 1); }
        try {
            double x = Double.parseDouble(s.trim()) * unit;
            if (!(x >= 0) || Double.isInfinite(x)) throw new NumberFormatException();
            return x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + v + "' is not a duration; write e.g. 10s, 5m or 1h");
        }
    }

    private static Map<String, Object> readProfile(Path f) throws IOException {
        if (!Files.isRegularFile(f)) throw new IllegalArgumentException("--profile " + f + ": file not found");
        return Json.YAML.readValue(Files.readString(f), new TypeReference<Map<String, Object>>() {});
    }
}

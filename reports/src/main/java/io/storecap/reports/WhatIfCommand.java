package io.storecap.reports;

import com.fasterxml.jackson.core.type.TypeReference;
import io.storecap.model.Json;
import io.storecap.model.ModelSettings;
import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.TrafficProfile;
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

    /**
     * Answers one question from the calibrated model of {@code runs}: in words, or as JSON with
     * {@code json}. Returns 0 with an answer, 2 when it cannot be answered (the message says why).
     *
     * @param profile a traffic profile (profile.yaml) whose per-store rate replaces the study's; null for the study's
     */
    public static int execute(String tier, Route route, int stores, double rate, Path profile, Double ttlSeconds,
                              Integer connectionLimit, String pattern, Double windowSeconds, boolean json,
                              List<RunResult> runs, Map<String, Tier> tiers, PrintStream out) {
        try {
            TrafficProfile prof = profile == null ? null : TrafficProfile.load(profile);
            WhatIfQuery q = new WhatIfQuery(tier, route, stores, rate, prof, ttlSeconds, connectionLimit, pattern, windowSeconds);
            WhatIfAnswer answer = WhatIf.answer(q, runs, tiers, ModelSettings.defaults());
            if (json) out.println(Json.JSON.writeValueAsString(SummaryJsonNumbers.clean(Json.JSON.valueToTree(answer))));
            else out.print(WhatIf.text(answer));
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            out.println("whatif: " + e.getMessage());
            return 2;
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
}

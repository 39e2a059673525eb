package io.storecap.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Json;
import io.storecap.model.Numbers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the report says about the model's validation ({@code ./storecap validate}, validation.json):
 * validated, not validated, or never checked. Shown on the first screen, because every production
 * figure (the tier table, the explanations, the what-ifs) is the model's extrapolation.
 *
 * @param status     whether a validation exists and passed
 * @param covered    measurements inside their frozen 95 % intervals
 * @param total      measurements
 * @param minCovered the coverage rule's threshold
 * @param maxTtl     the longest idle TTL it measured, production seconds
 * @param runtime    the runtime it ran under (null when not recorded)
 * @param generatedAt when it ran
 * @param source     the validation.json it came from; null when none was found
 */
public record ModelValidation(Status status, int covered, int total, int minCovered, double maxTtl, String runtime,
                              String generatedAt, String source) {
    public enum Status { VALIDATED, NOT_VALIDATED, NOT_RUN }

    public static final ModelValidation NONE = new ModelValidation(Status.NOT_RUN, 0, 0, 0, 0, null, null, null);

    /** validate's newest result under the project root (target/storecap/validations/latest), or NONE. */
    public static ModelValidation latest(Path root) {
        Path f = root.resolve("target/storecap/validations/latest/validation.json");
        return Files.isRegularFile(f) ? read(f) : NONE;
    }

    /** A validation.json; a file that cannot be read says so as NOT_RUN with the reason in source. */
    public static ModelValidation read(Path file) {
        try {
            JsonNode n = Json.JSON.readTree(Files.readString(file));
            double maxTtl = 0;
            for (JsonNode r : n.path("cases")) maxTtl = Math.max(maxTtl, r.path("idleTtlSeconds").asDouble());
            return new ModelValidation(n.path("validated").asBoolean() ? Status.VALIDATED : Status.NOT_VALIDATED,
                    n.path("covered").asInt(), n.path("total").asInt(), n.path("minCovered").asInt(), maxTtl,
                    n.path("runtime").isTextual() ? n.path("runtime").asText() : null, n.path("generatedAt").asText(null), file.toString());
        } catch (IOException | RuntimeException e) {
            return new ModelValidation(Status.NOT_RUN, 0, 0, 0, 0, null, null, file + " could not be read: " + e.getMessage());
        }
    }

    /** The first screen's sentence. */
    public String sentence() {
        return switch (status) {
            case VALIDATED -> "The model is validated: " + covered + " of " + total + " frozen predictions held within their 95 % intervals"
                    + " at idle TTLs up to " + Numbers.num(maxTtl) + " s (the rule asks " + minCovered + ")" + ran() + ".";
            case NOT_VALIDATED -> "The model is NOT validated: only " + covered + " of " + total + " frozen predictions held within their"
                    + " 95 % intervals (the rule asks " + minCovered + ")" + ran() + "; its production figures (tier table, explanations,"
                    + " what-ifs) are extrapolations it failed to predict.";
            case NOT_RUN -> "The model is unvalidated: no ./storecap validate result was found" + (source == null ? "" : " (" + source + ")")
                    + ", so its production figures (tier table, explanations, what-ifs) are unchecked extrapolations.";
        };
    }

    private String ran() {
        return (runtime == null ? "" : ", runtime " + runtime) + (generatedAt == null ? "" : ", " + generatedAt.substring(0, Math.min(10, generatedAt.length())));
    }
}

package io.storecap.model;

import java.util.Objects;

/** One line of the scaling plan: "on tier T through route R the app holds N stores". */
public record Claim(String id, String tier, Route route, ClaimedRange claimed, String text) {
    public Claim {
        Objects.requireNonNull(id, "claim.id");
        if (!id.matches("[a-z0-9][a-z0-9-]*"))
            throw new IllegalArgumentException("claim id '" + id + "' must be lower-case letters, digits and dashes");
        Objects.requireNonNull(tier, "claim " + id + ": tier is required");
        Objects.requireNonNull(route, "claim " + id + ": route is required (direct or pooled)");
        Objects.requireNonNull(claimed, "claim " + id + ": claimed {min, max} is required");
        if (text == null) text = claimed.text() + " stores";
    }
}

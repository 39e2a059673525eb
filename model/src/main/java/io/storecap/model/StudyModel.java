package io.storecap.model;

import java.util.List;

/**
 * What the model stage hands the report stage: one result per claim, in the claims file's order.
 */
public record StudyModel(List<ClaimResult> claims, List<String> notes) {
    public StudyModel {
        claims = List.copyOf(claims);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }
}

package io.storecap.model.study;

import io.storecap.model.TierCapacity;
import io.storecap.model.ValidationRow;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.explain.ClaimExplanation;
import io.storecap.model.serverless.ServerlessCalibration;

import java.util.List;

/**
 * What the model stage hands the report stage: one result per claim, in the claims file's order.
 *
 * @param claims         one verdict row per claim
 * @param notes          things a reader should know about the inputs (unused runs, repeats)
 * @param validation     out-of-sample predictions against measurements (fit on lower levels, predict upper)
 * @param tierCapacities what every tier holds per route, from the measured fits, with cost per store
 * @param serverless     the mechanistic serverless model calibrated per serverless run, with what-ifs at
 *                       settings no run used (flagged as extrapolations) and the threshold's sensitivity
 * @param runtimes       per claim, the claim measured under each runtime the study ran (baseline first)
 * @param explanations   per claim: why the plan's number is what it is: the measured gain of removing each
 *                       anti-pattern (baseline run against variant run) and the modelled settings under
 *                       which the threshold falls in the claimed range
 * @param modelChecks    per direct claim with a knee: whether the calibrated model reproduces it
 */
public record StudyModel(List<ClaimResult> claims, List<String> notes, List<ValidationRow> validation,
                         List<TierCapacity> tierCapacities, List<ServerlessCalibration> serverless,
                         List<ClaimExplanation> explanations, List<RuntimeVerdict> runtimes, List<ModelAgreement> modelChecks) {
    public StudyModel {
        modelChecks = modelChecks == null ? List.of() : List.copyOf(modelChecks);
        runtimes = runtimes == null ? List.of() : List.copyOf(runtimes);
        explanations = explanations == null ? List.of() : List.copyOf(explanations);
        serverless = serverless == null ? List.of() : List.copyOf(serverless);
        claims = List.copyOf(claims);
        notes = notes == null ? List.of() : List.copyOf(notes);
        validation = validation == null ? List.of() : List.copyOf(validation);
        tierCapacities = tierCapacities == null ? List.of() : List.copyOf(tierCapacities);
    }

    public StudyModel(List<ClaimResult> claims, List<String> notes, List<ValidationRow> validation,
                      List<TierCapacity> tierCapacities, List<ServerlessCalibration> serverless,
                      List<ClaimExplanation> explanations, List<RuntimeVerdict> runtimes) {
        this(claims, notes, validation, tierCapacities, serverless, explanations, runtimes, List.of());
    }
}

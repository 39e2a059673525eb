package io.storecap.model.explain;

import java.util.List;

/**
 * Why a claim of the plan comes out as it does: what each anti-pattern measurably costs, and the
 * settings under which the calibrated serverless model puts the threshold inside the claimed range.
 *
 * @param claimId       the claim
 * @param claimedText   the claimed range, e.g. "20-25"
 * @param baselineRunId the run the verdict comes from; null when the claim had none
 * @param findings      the explanation in plain words, most important first (measured before modelled)
 * @param patterns      each anti-pattern measured for this claim: the variant run beside the baseline run
 * @param conditions    the modelled settings searched, each with the per-store peak rates (as multiples of
 *                      the profile's) that put the threshold in the claimed range
 * @param notes         what the search assumed and where it extrapolates
 */
public record ClaimExplanation(String claimId, String claimedText, String baselineRunId, List<String> findings,
                               List<PatternEffect> patterns, List<Condition> conditions, List<String> notes) {
    public ClaimExplanation {
        findings = findings == null ? List.of() : List.copyOf(findings);
        patterns = patterns == null ? List.of() : List.copyOf(patterns);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }
}

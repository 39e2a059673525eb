package io.storecap.model.capacity;

import io.storecap.model.ClaimedRange;
import io.storecap.model.LevelCheck;
import io.storecap.model.Measured;
import io.storecap.model.Route;
import io.storecap.model.Verdict;
import io.storecap.model.fit.FitSelection;
import io.storecap.model.fit.LinearFit;

import java.util.List;

/**
 * One row of the verdict table: a claim, what was measured, and the verdict with its reason.
 *
 * @param id                claim id from the claims file
 * @param tier              tier id
 * @param route             direct or pooled
 * @param claimed           the claimed store range
 * @param claimedText       the claim as the plan wrote it
 * @param usableConnections max_connections less reserved slots on that tier
 * @param measured          the measured threshold with interval and binding constraint
 * @param verdict           CONFIRMED / OPTIMISTIC / CONSERVATIVE / INCONCLUSIVE
 * @param reason            one sentence a founder can read
 * @param runId             the run the measurement comes from; null when there was none
 * @param fit               peak server connections against stores; null with fewer than 3 levels
 * @param fits              the linear and power-law candidates and the one chosen (by AIC) for the
 *                          threshold; null with fewer than 3 usable levels
 * @param levels            how each level of the run was judged; empty without a run
 * @param assumptions       the settings and traffic the verdict holds under, in words
 * @param costPerStoreUsd   the tier's monthly cost over the threshold; null without a threshold
 */
public record ClaimResult(String id, String tier, Route route, ClaimedRange claimed, String claimedText,
                          int usableConnections, Measured measured, Verdict verdict, String reason,
                          String runId, LinearFit fit, FitSelection fits, List<LevelCheck> levels,
                          List<String> assumptions, Double costPerStoreUsd) {
    public ClaimResult {
        levels = levels == null ? List.of() : List.copyOf(levels);
        assumptions = assumptions == null ? List.of() : List.copyOf(assumptions);
    }
}

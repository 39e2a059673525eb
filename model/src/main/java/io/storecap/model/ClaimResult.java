package io.storecap.model;

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
 */
public record ClaimResult(String id, String tier, Route route, ClaimedRange claimed, String claimedText,
                          int usableConnections, Measured measured, Verdict verdict, String reason,
                          String runId, LinearFit fit) {
}

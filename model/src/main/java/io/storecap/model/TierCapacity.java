package io.storecap.model;

/**
 * What a tier really holds on one route, from that route's measured connections-per-store fit,
 * and what a store costs on it. Tiers no run used are extrapolations in connection count (the fit
 * is evaluated at a limit it never reached), and say so.
 *
 * @param tier            tier id
 * @param tierName        its display name
 * @param route           direct or pooled
 * @param fromRun         the run whose fit is used
 * @param usableConnections max_connections less reserved
 * @param stores          best estimate of the stores it holds (where the fit meets the limit)
 * @param low             conservative end (upper prediction band meets the limit)
 * @param high            optimistic end (lower band meets it); null when unbounded
 * @param monthlyCostUsd  the tier's monthly cost
 * @param costPerStoreUsd monthly cost over the best estimate
 * @param extrapolated    true when the estimate lies beyond the largest store count measured
 */
public record TierCapacity(String tier, String tierName, Route route, String fromRun, int usableConnections,
                           Double stores, Double low, Double high, double monthlyCostUsd, Double costPerStoreUsd,
                           boolean extrapolated) {
}

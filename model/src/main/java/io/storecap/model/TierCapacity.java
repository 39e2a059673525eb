package io.storecap.model;

/**
 * What a tier really holds on one route, and what a store costs on it: from the calibrated
 * serverless model (the same model, and so the same number, as the verdict's model clause and the
 * explanations), else from that route's measured connections-per-store fit. Tiers no run used are
 * extrapolations in connection count, and say so.
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
 * @param source          "serverless-model" (busy hour, production idle TTL, bootstrap interval) or
 *                        "connection-fit" (the measured levels' fit, their conditions)
 * @param beyondSearch    true when the model finds no limit up to its search's ceiling: stores is null
 */
public record TierCapacity(String tier, String tierName, Route route, String fromRun, int usableConnections,
                           Double stores, Double low, Double high, double monthlyCostUsd, Double costPerStoreUsd,
                           boolean extrapolated, String source, boolean beyondSearch) {
    public TierCapacity(String tier, String tierName, Route route, String fromRun, int usableConnections,
                        Double stores, Double low, Double high, double monthlyCostUsd, Double costPerStoreUsd, boolean extrapolated) {
        this(tier, tierName, route, fromRun, usableConnections, stores, low, high, monthlyCostUsd, costPerStoreUsd, extrapolated,
                "connection-fit", false);
    }
}

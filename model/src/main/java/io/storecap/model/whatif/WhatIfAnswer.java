package io.storecap.model.whatif;

import io.storecap.model.Route;

import java.util.List;

/**
 * What the calibrated model answers to a {@link WhatIfQuery}.
 *
 * @param tier                the tier asked about
 * @param route               the route
 * @param stores              the store count asked about
 * @param calibratedFrom      the baseline run whose calibration is used
 * @param patternRun          the variant run the pattern's effect comes from; null without a pattern
 * @param rateMultiplier      per-store rate relative to the calibrating run's profile (query multiplier x profile ratio)
 * @param idleTtlSeconds      the idle TTL used
 * @param connectionLimit     the connection_limit used
 * @param windowSeconds       the span the peaks are over
 * @param arrivalRate         requests per second at this store count
 * @param warmInstances       mean warm function instances (point; interval from the function time's fit error)
 * @param serverConnections   peak Postgres connections of the app over the window: median and 95 % interval
 * @param poolerClients       pooled route: peak PgBouncer client connections over the window; null on the direct route
 * @param p95Ms               predicted p95 response time; null when it cannot be predicted (pool overloaded, no data)
 * @param p95Basis            how: "measured latency against load (interpolated)", or with Erlang C's pool wait added
 * @param thresholdStores     the largest store count this tier holds at these settings (busy-hour 95 % peak)
 * @param thresholdBasis      what limits that threshold, in words
 * @param nearestMeasured     the calibrating run's level nearest in load, in words (what was measured there)
 * @param measuredStores      [smallest, largest] store counts the calibration used
 * @param measuredIdleTtlSeconds the run's idle TTL
 * @param extrapolated        true when any setting lies outside what the runs measured
 * @param extrapolation       how far, per setting
 * @param notes               assumptions of this answer
 * @param thresholdLow        2.5 % bootstrap quantile of the threshold; null without a bootstrap
 * @param thresholdHigh       97.5 % quantile; null without one or when beyond the search
 * @param thresholdBeyondSearch true when the model finds no limit up to its search's ceiling (thresholdStores is then that ceiling, censored)
 */
public record WhatIfAnswer(String tier, Route route, int stores, String calibratedFrom, String patternRun,
                           double rateMultiplier, double idleTtlSeconds, int connectionLimit, double windowSeconds,
                           double arrivalRate, Interval warmInstances, Interval serverConnections, Interval poolerClients,
                           Double p95Ms, String p95Basis, int thresholdStores, String thresholdBasis, String nearestMeasured,
                           List<Integer> measuredStores, double measuredIdleTtlSeconds, boolean extrapolated,
                           List<String> extrapolation, List<String> notes, Integer thresholdLow, Integer thresholdHigh,
                           boolean thresholdBeyondSearch) {
    public WhatIfAnswer {
        measuredStores = List.copyOf(measuredStores);
        extrapolation = List.copyOf(extrapolation);
        notes = List.copyOf(notes);
    }
}

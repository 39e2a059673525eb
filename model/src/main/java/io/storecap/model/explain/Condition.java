package io.storecap.model.explain;

/**
 * One point of the search: the calibrated serverless model at these settings, and the per-store
 * peak rates at which its threshold falls inside the claimed range.
 * <p>
 * The threshold T(rate) falls as the per-store rate rises (more arrivals, more warm instances), so
 * the rates that put it in [min, max] form one interval [rateFrom, rateTo]: rateFrom is the smallest
 * multiplier with T &le; max (for an open-ended claim, none: 0), rateTo the largest with T &ge; min.
 *
 * @param pattern            "none" (as the app is built) or the anti-pattern switched on
 * @param connectionLimit    Prisma's connection_limit per instance
 * @param holdTimeMultiplier function and connection hold time relative to the measured (per-store
 *                           concurrency = rate x hold time)
 * @param idleTtlSeconds     how long an idle function instance lives
 * @param rateFrom           smallest per-store peak rate (x the profile's) putting the threshold in range;
 *                           null when no rate does
 * @param rateTo             largest such rate; null when no rate does
 * @param holdsAtProfileRate true when the profile's own rate (x1) lies in [rateFrom, rateTo]
 * @param storesAtProfileRate the modelled threshold at the profile's rate (busy hour, 95 %); null when the
 *                           model found no limit up to its search's ceiling (see beyondSearch)
 * @param extrapolated       true when a setting lies outside what the runs measured
 * @param sentence           the condition in words
 * @param beyondSearch       true when the tier holds more than the search's ceiling (100,000 stores): a censored
 *                           value, said as "more than", never the ceiling as a number
 * @param storesLow          2.5 % bootstrap quantile of storesAtProfileRate (as built at the run's
 *                           connection_limit, where it is the tier table's number); null elsewhere
 * @param storesHigh         97.5 % quantile; null elsewhere or when beyond the search
 */
public record Condition(String pattern, int connectionLimit, double holdTimeMultiplier, double idleTtlSeconds,
                        Double rateFrom, Double rateTo, boolean holdsAtProfileRate, Integer storesAtProfileRate,
                        boolean extrapolated, String sentence, boolean beyondSearch, Integer storesLow, Integer storesHigh) {}

package io.storecap.model.explain;

import io.storecap.model.Binding;






















/**
 * One anti-pattern of one claim, measured: the claim's baseline run beside the same configuration run
 * with the pattern switched on. Nothing here is modelled.
 *
 * @param pattern          the pattern's name (client-per-request, default-limit-fanout, ...)
 * @param description      what it is, in words
 * @param withPattern      the variant run
 * @param withoutPattern   the baseline run
 * @param comparedAtStores where the peak connections of both sides are compared: the largest store count at
 *                         which both runs were still within every limit, else the smallest both measured; null
 *                         when they shared no level
 * @param storesGained     threshold without the pattern less threshold with it (the measured gain of removing
 *                         it); null when either threshold is unknown. When a side is a lower bound ("at least"),
 *                         so is the gain
 * @param gainIsLowerBound true when the baseline's threshold is a lower bound, so the gain is at least this
 * @param sentence         the comparison in one sentence
 */
public record PatternEffect(String pattern, String description, Side withPattern, Side withoutPattern,
                            Integer comparedAtStores, Double storesGained, boolean gainIsLowerBound, String sentence) {

    /**
     * One run of the comparison.
     *
     * @param runId                  the run
     * @param threshold              its measured threshold in stores (the claim's rules applied to this run)
     * @param low                    95 % interval, low end
     * @param high                   95 % interval, high end; null when unbounded
     * @param binding                the constraint that set it
     * @param lowerBound             true: capacity is at least {@code threshold}
     * @param thresholdText          the threshold as shown ("≥ 50", "14")
     * @param verdict                the verdict the claim would get from this run
     * @param peakConnections        peak server connections at {@code comparedAtStores}
     * @param peakClients            peak PgBouncer clients there (pooled route), else null
     * @param connectionsPerInstance mean connections per warm instance over the run's good levels (or its first
     *                               level when none was good); null without warm instances
     * @param connectionMsPerRequest connection time per request (Little: active connections / rate), ms
     * @param refusals               refused connections over the whole run
     */
    public record Side(String runId, Double threshold, Double low, Double high, Binding binding, boolean lowerBound,
                       String thresholdText, String verdict, Double peakConnections, Double peakClients,
                       Double connectionsPerInstance, Double connectionMsPerRequest, long refusals) {}
}

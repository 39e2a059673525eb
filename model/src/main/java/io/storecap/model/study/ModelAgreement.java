package io.storecap.model.study;

/**
 * Whether the calibrated model predicts what the knee search measured, for one claim: the model's
 * knee at the search's own conditions (levels of the run's length from an empty pool, the level's
 * 95 % peak connections against the tier's limit) beside the measured knee. The model is then
 * used where it was not measured (production idle TTL, a busy hour, other tiers), and this is the
 * check that could have failed.
 *
 * @param claimId         the claim
 * @param runId           the run both come from
 * @param measuredLow     the measured knee's interval, low end
 * @param measuredHigh    its high end (null: unbounded)
 * @param modelKnee       the model's knee at the search's conditions (null when beyond its search)
 * @param modelLow        2.5 % bootstrap quantile
 * @param modelHigh       97.5 % bootstrap quantile (null when beyond the search)
 * @param agrees          true when the two intervals overlap
 * @param production      the model's threshold in production (busy hour, the run's idle TTL), the
 *                        number the tier table and the explanations quote, in words with its interval
 * @param levelSeconds    production seconds a search level lasted (median), the conditions of modelKnee;
 *                        the knee is where the median level peak reaches the limit, as the measured
 *                        knee is where half the levels fail
 * @param rampSeconds     production seconds of each level's ramp from an empty pool
 * @param stormBound      true when, at the model's knee, the ramp's cold-start storm sets the pool rather
 *                        than the level's own concurrency
 */
public record ModelAgreement(String claimId, String runId, double measuredLow, Double measuredHigh, Integer modelKnee,
                             Integer modelLow, Integer modelHigh, boolean agrees, String production, double levelSeconds,
                             double rampSeconds, boolean stormBound) {}

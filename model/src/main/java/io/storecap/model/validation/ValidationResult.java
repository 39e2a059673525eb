package io.storecap.model.validation;

import io.storecap.model.serverless.ServerlessParameters;
import org.apache.commons.math3.distribution.BinomialDistribution;

import java.util.List;

/**
 * validation.json: every case's frozen prediction against what was then measured, and whether the
 * model's intervals cover as often as they claim.
 * <p>
 * The coverage rule: with n comparisons each covered with probability 0.95 if the intervals are right,
 * the count covered is Binomial(n, 0.95); the model is validated when the count reaches that
 * distribution's 5 % lower quantile, the largest c with P(X &ge; c) &ge; 0.95 (for n = 16, c = 14). A
 * count below it would happen less than 1 time in 20 with honest intervals. The quantities of one
 * case are correlated (connections follow instances), so the rule is lenient rather than exact.
 *
 * @param generatedAt       when it was written
 * @param mode              quick or full
 * @param calibratedOn      what the parameters were read from (run folder)
 * @param parameters        the calibrated parameters
 * @param predictionsFrozenAt when the predictions were written, before any case was measured
 * @param predictionsSha256 SHA-256 of predictions.json as frozen
 * @param cases             one row per case and quantity
 * @param covered           rows whose measurement lies in the predicted interval
 * @param total             rows with a measurement
 * @param coverage          covered / total
 * @param nominal           the intervals' nominal coverage (0.95)
 * @param minCovered        the rule's threshold for total rows
 * @param validated         covered &ge; minCovered
 * @param rule              the rule in words
 * @param longestTtlFactor  the longest TTL measured over the quick stair's TTL (at least 16 is asked for)
 * @param runtime           the runtime preset it ran under; null for the study's own settings
 */
public record ValidationResult(String generatedAt, String mode, String calibratedOn, ServerlessParameters parameters,
                               String predictionsFrozenAt, String predictionsSha256, List<Row> cases, int covered, int total,
                               double coverage, double nominal, int minCovered, boolean validated, String rule,
                               double longestTtlFactor, String runtime) {
    public static final double NOMINAL = 0.95;

    /**
     * @param caseId       the case
     * @param stores       its load
     * @param idleTtlSeconds its TTL
     * @param quantity     what is compared
     * @param predicted    the frozen prediction (median over draws)
     * @param low          2.5 % quantile
     * @param high         97.5 % quantile
     * @param analytic     the analytic model's value (what the thresholds use)
     * @param measured     what the case measured; null when it could not be measured
     * @param covered      low &le; measured &le; high; null without a measurement
     */
    public record Row(String caseId, int stores, double idleTtlSeconds, String quantity, double predicted, double low, double high,
                      double analytic, Double measured, Boolean covered) {}

    /** The fewest covered of n that the rule accepts: the 5 % lower quantile of Binomial(n, nominal). */
    public static int minCovered(int n, double nominal) {
        if (n == 0) return 0;
        BinomialDistribution d = new BinomialDistribution(null, n, nominal);
        int c = n; // the largest c with P(X >= c) = 1 - F(c - 1) >= 0.95
        while (c > 0 && 1 - d.cumulativeProbability(c - 1) < 0.95) c--;
        return c;
    }

    public static String rule(int n, int min) {
        return "validated when at least " + min + " of " + n + " measurements lie in their 95 % intervals: with honest intervals"
                + " fewer happens less than 1 time in 20 (Binomial(" + n + ", 0.95), 5 % lower quantile)";
    }
}

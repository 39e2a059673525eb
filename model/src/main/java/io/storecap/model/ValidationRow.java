package io.storecap.model;

/**
 * One out-of-sample check: the model fitted on the lower levels of a run predicts an upper level it
 * never saw, and is compared with what that level measured.
 *
 * @param claimId      the claim (configuration) the run belongs to
 * @param runId        the run
 * @param quantity     what is predicted, e.g. "peak server connections"
 * @param model        "linear" or "power": the shape chosen on the training levels
 * @param fittedOn     the store counts of the training levels
 * @param stores       the held-out level
 * @param predicted    the fit's prediction there
 * @param low          lower end of the 95 % prediction interval
 * @param high         upper end of the 95 % prediction interval
 * @param measured     what the level measured
 * @param errorPercent (predicted - measured) / measured x 100; null when measured is 0
 * @param withinInterval whether the measurement fell inside the prediction interval
 */
public record ValidationRow(String claimId, String runId, String quantity, String model, java.util.List<Integer> fittedOn,
                            int stores, double predicted, double low, double high, double measured,
                            Double errorPercent, boolean withinInterval) {
    public ValidationRow {
        fittedOn = java.util.List.copyOf(fittedOn);
    }
}

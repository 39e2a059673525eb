package io.storecap.model.fit;


/**
 * The two candidate shapes of connections against stores and the one chosen.
 * <p>
 * Criterion: Akaike's information criterion on the original y scale, AIC = n ln(SSE/n) + 2k with
 * k = 3 (two coefficients and the error variance) for both. The power law is fitted in log space,
 * so its likelihood is moved back to the y scale with the Jacobian of y -> ln y, which adds
 * 2 sum(ln y_i) (Burnham and Anderson, Model Selection and Multimodel Inference, 2002, 2.11.3).
 * The power law is chosen only when its AIC is lower by more than 2: a difference under 2 is
 * "substantial support for both" (ibid., 2.6), and the straight line is the shape the mechanism
 * predicts (connections per store constant), so it is kept on near-ties.
 *
 * @param chosen     "linear" or "power"
 * @param criterion  how it was chosen, in words
 * @param linear     the straight-line fit (always present)
 * @param linearAic  its AIC
 * @param power      the power-law fit; null when a y or x was 0 (no logarithm) or too few points
 * @param powerAic   its AIC on the y scale; null with {@code power}
 */
public record FitSelection(String chosen, String criterion, LinearFit linear, double linearAic,
                           PowerLawFit power, Double powerAic) {

    public static final double AIC_MARGIN = 2.0;

    /** Fits both candidates to the points and chooses one by AIC. */
    public static FitSelection of(double[] x, double[] y) {
        LinearFit lin = LinearFit.of(x, y);
        int n = x.length;
        double linAic = aic(lin.sumSquaredErrors(), n, 3);
        PowerLawFit pow = null;
        Double powAic = null;
        boolean positive = true;
        for (int i = 0; i < n; i++) positive &= x[i] > 0 && y[i] > 0;
        if (positive) {
            try {
                pow = PowerLawFit.of(x, y);
                double sumLogY = 0;
                for (double v : y) sumLogY += Math.log(v);
                powAic = aic(pow.logFit().sumSquaredErrors(), n, 3) + 2 * sumLogY;
            } catch (IllegalArgumentException e) {
                pow = null; // e.g. all x equal in log space cannot happen if the linear fit passed; be safe
            }
        }
        boolean power = powAic != null && powAic < linAic - AIC_MARGIN;
        String criterion = powAic == null
                ? "linear only (a power law needs every value above 0)"
                : String.format(java.util.Locale.ROOT, "AIC linear %.1f vs power %.1f; %s", linAic, powAic,
                power ? "power law lower by more than 2" : "linear kept (power law not lower by more than 2)");
        return new FitSelection(power ? "power" : "linear", criterion, lin, linAic, pow, powAic);
    }

    /**
     * The standard deviation of rounding a continuous value to a whole number: a uniform error on
     * [-0.5, 0.5] has variance 1/12 (Sheppard's correction).
     */
    public static final double ROUNDING_SD = Math.sqrt(1.0 / 12);

    /**
     * As {@link #of}, for integer counts (peak connections): a count is a rounded quantity, so its
     * prediction interval is never narrower than the rounding. The line's residual error is at least
     * {@link #ROUNDING_SD}; the power law's, in log space, at least ROUNDING_SD / (smallest y), the
     * same rounding seen through d ln y = dy / y where it weighs most. With integer counts a perfect
     * fit otherwise gives a residual error of 0 and intervals of zero width.
     */
    public static FitSelection ofCounts(double[] x, double[] y) {
        FitSelection s = of(x, y);
        double minY = java.util.Arrays.stream(y).min().orElse(1);
        PowerLawFit pow = s.power() == null ? null : new PowerLawFit(s.power().a(), s.power().b(), s.power().n(),
                s.power().logFit().withMinimumResidual(ROUNDING_SD / Math.max(minY, 1)));
        return new FitSelection(s.chosen(), s.criterion(), s.linear().withMinimumResidual(ROUNDING_SD), s.linearAic(), pow, s.powerAic());
    }

    /** The chosen curve, for thresholds and predictions. */
    public Curve curve() { return "power".equals(chosen) && power != null ? power : linear; }

    /** Gaussian AIC up to a constant shared by both candidates; a perfect fit is floored to avoid -inf. */
    static double aic(double sse, int n, int k) {
        return n * Math.log(Math.max(sse, 1e-12) / n) + 2 * k;
    }
}

package io.storecap.model.fit;

/**
 * A fitted curve y(x) with 95 % bands: the confidence band (where the mean curve lies) and the
 * prediction band (where one new observation, e.g. the next level's peak, lies).
 */
public interface Curve {
    /** "linear" or "power". */
    String kind();

    double predict(double x);

    double lowerConfidence(double x);

    double upperConfidence(double x);

    double lowerPrediction(double x);

    double upperPrediction(double x);

    /** Smallest x the curve is defined at (a power law needs x > 0). */
    default double domainStart() { return 0; }
}

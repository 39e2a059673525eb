package io.storecap.model.serverless;

import io.storecap.model.LevelResult;
import io.storecap.model.Quantiles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The calibration's uncertainty by the nonparametric bootstrap over levels (Efron and Tibshirani,
 * An Introduction to the Bootstrap, 1993, ch. 6 and 13): the levels are drawn with replacement,
 * the parameters read again from each draw, and any quantity the model derives from them is
 * computed on every draw; its 2.5 % and 97.5 % quantiles are the percentile interval. Every
 * threshold, what-if and prediction uses the same draws, so their intervals are consistent.
 * Seeded: the same run gives the same intervals.
 *
 * @param point      the parameters from all levels
 * @param replicates the parameters from each draw
 */
public record ParameterBootstrap(ServerlessParameters point, List<ServerlessParameters> replicates) {
    public static final int DRAWS = 200;
    private static final long SEED = 0x5EED_CA1BL;

    public ParameterBootstrap {
        replicates = List.copyOf(replicates);
    }

    /** Draws {@link #DRAWS} resamples of the levels and reads the parameters from each. */
    public static ParameterBootstrap of(List<LevelResult> levels, Function<List<LevelResult>, ServerlessParameters> read) {
        ServerlessParameters point = read.apply(levels);
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<ServerlessParameters> reps = new ArrayList<>(DRAWS);
        for (int b = 0; b < DRAWS; b++) {
            List<LevelResult> draw = new ArrayList<>(levels.size());
            for (int i = 0; i < levels.size(); i++) draw.add(levels.get(rnd.nextInt(levels.size())));
            reps.add(read.apply(draw));
        }
        return new ParameterBootstrap(point, reps);
    }

    /** No uncertainty known: the point alone (its interval has zero width, and says so by having no draws). */
    public static ParameterBootstrap pointOnly(ServerlessParameters point) {
        return new ParameterBootstrap(point, List.of());
    }

    /** A quantity at the point and its 95 % percentile interval over the draws. */
    public Estimate estimate(ToDoubleFunction<ServerlessParameters> f) {
        double at = f.applyAsDouble(point);
        if (replicates.isEmpty()) return new Estimate(at, at, at, 0);
        double[] v = replicates.stream().mapToDouble(f).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) return new Estimate(at, at, at, 0);
        return new Estimate(at, Math.min(at, Quantiles.nearestRank(v, 0.025)), Math.max(at, Quantiles.nearestRank(v, 0.975)), v.length);
    }

    /** The draws with a transformation applied to each (and the point): a what-if on the same draws. */
    public ParameterBootstrap map(java.util.function.UnaryOperator<ServerlessParameters> f) {
        return new ParameterBootstrap(f.apply(point), replicates.stream().map(f).toList());
    }

    /**
     * A quantity with its interval.
     *
     * @param value the value at the calibrated parameters
     * @param low   2.5 % quantile over the draws (at most value)
     * @param high  97.5 % quantile over the draws (at least value)
     * @param draws how many draws it rests on (0: no interval known)
     */
    public record Estimate(double value, double low, double high, int draws) {
        @Override
        public String toString() { return Arrays.toString(new double[]{value, low, high}); }
    }
}

package io.storecap.model.validation;

import io.storecap.model.Quantiles;
import io.storecap.model.serverless.InstanceDynamics;
import io.storecap.model.serverless.ParameterBootstrap;
import io.storecap.model.serverless.PoolSimulation;
import io.storecap.model.serverless.ServerlessParameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The model's prediction for a validation case, with an interval that holds both kinds of doubt: the
 * calibration's (each bootstrap draw of the parameters) and the window's own randomness (each draw
 * simulates the case's pool once, {@link PoolSimulation}, with its own arrivals: the same ramp,
 * warm-up, TTL, dispatch and cold start, sampled as the telemetry sampler does). The point is the
 * median over draws, the interval their 2.5 % and 97.5 % quantiles; the analytic model's value
 * ({@link InstanceDynamics}, the one the thresholds use) is given beside it.
 */
public final class CasePredictor {
    private CasePredictor() {}

    /** One quantity's prediction. */
    public record Predicted(Quantity quantity, double value, double low, double high, double analytic) {}

    /**
     * @param samplePeriodSeconds the sampler's period in production seconds (its emulated period / k)
     * @param draws               how many draws (the bootstrap's first ones; the point repeated when it has none)
     */
    public static List<Predicted> predict(ParameterBootstrap b, ValidationCase c, double samplePeriodSeconds, int draws, long seed) {
        Map<Quantity, double[]> values = new EnumMap<>(Quantity.class);
        for (Quantity q : Quantity.values()) values.put(q, new double[draws]);
        for (int i = 0; i < draws; i++) {
            ServerlessParameters p = b.replicates().isEmpty() ? b.point() : b.replicates().get(i % b.replicates().size());
            PoolSimulation.Result r = simulate(p, c, samplePeriodSeconds, seed + i);
            double m = p.connectionsPerInstance();
            values.get(Quantity.MEAN_WARM_INSTANCES)[i] = r.warmInstances().mean();
            values.get(Quantity.PEAK_WARM_INSTANCES)[i] = r.warmInstances().max();
            values.get(Quantity.MEAN_CONNECTIONS)[i] = p.floorConnections() + m * r.warmInstances().mean();
            values.get(Quantity.PEAK_CONNECTIONS)[i] = p.floorPeak() + m * r.warmInstances().max();
        }
        ServerlessParameters p = b.point().withIdleTtlSeconds(c.idleTtlSeconds());
        double lambda = c.stores() * p.requestsPerStorePerSecond();
        double window = c.warmupSeconds() + c.measureSeconds();
        double warm = InstanceDynamics.meanWarm(lambda, p, window);
        double peak = InstanceDynamics.peakInstances(lambda, p, c.measureSeconds(), 0.5);
        Map<Quantity, Double> analytic = Map.of(Quantity.MEAN_WARM_INSTANCES, warm, Quantity.PEAK_WARM_INSTANCES, peak,
                Quantity.MEAN_CONNECTIONS, p.floorConnections() + p.connectionsPerInstance() * warm,
                Quantity.PEAK_CONNECTIONS, p.floorPeak() + p.connectionsPerInstance() * peak);
        List<Predicted> out = new ArrayList<>();
        for (Quantity q : Quantity.values()) {
            double[] v = values.get(q).clone();
            Arrays.sort(v);
            out.add(new Predicted(q, Quantiles.nearestRank(v, 0.5), Quantiles.nearestRank(v, 0.025), Quantiles.nearestRank(v, 0.975),
                    analytic.get(q)));
        }
        return out;
    }

    /** The case's pool under one parameter set: ramp, plateau, then the measured window. */
    static PoolSimulation.Result simulate(ServerlessParameters p, ValidationCase c, double samplePeriodSeconds, long seed) {
        double lambda = c.stores() * p.requestsPerStorePerSecond();
        return new PoolSimulation(lambda, p.functionSeconds(), c.idleTtlSeconds(), 1, p.connectionLimit(), p.coldStartSeconds(),
                c.measureSeconds(), c.warmupSeconds(), samplePeriodSeconds, p.dispatch(), 0, c.rampSeconds()).run(seed);
    }
}

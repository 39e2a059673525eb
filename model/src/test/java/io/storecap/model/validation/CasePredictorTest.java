package io.storecap.model.validation;

import io.storecap.model.serverless.Dispatch;
import io.storecap.model.serverless.ParameterBootstrap;
import io.storecap.model.serverless.ServerlessParameters;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The case predictor's interval holds a fresh simulation of the same case, and widens with the calibration's doubt. */
class CasePredictorTest {
    static final ServerlessParameters P = new ServerlessParameters(0.0289, 0.03, 1, 0.002, 64, 5, 1.0, Dispatch.RANDOM, 2, 2);
    static final ValidationCase CASE = new ValidationCase("ttl-64s", 1500, 64, 60, 128, 128, 0.25);

    @Test
    void aFreshRunOfTheSameCaseFallsInsideMostIntervals() {
        List<CasePredictor.Predicted> pred = CasePredictor.predict(ParameterBootstrap.pointOnly(P), CASE, 0.4, 100, 1);
        int inside = 0, n = 0;
        for (long seed = 1000; seed < 1020; seed++) {
            var r = CasePredictor.simulate(P.withIdleTtlSeconds(64), CASE, 0.4, seed);
            double[] measured = {r.warmInstances().mean(), r.warmInstances().max(), 2 + r.warmInstances().mean(), 2 + r.warmInstances().max()};
            for (int i = 0; i < 4; i++) {
                n++;
                if (pred.get(i).low() <= measured[i] && measured[i] <= pred.get(i).high()) inside++;
            }
        }
        assertTrue(inside >= 0.85 * n, inside + " of " + n + " inside");
    }

    @Test
    void connectionsAreTheFloorPlusInstancesAndTheAnalyticValueIsBeside() {
        List<CasePredictor.Predicted> pred = CasePredictor.predict(ParameterBootstrap.pointOnly(P), CASE, 0.4, 50, 1);
        assertEquals(Quantity.MEAN_WARM_INSTANCES, pred.get(0).quantity());
        assertEquals(pred.get(0).value() + 2, pred.get(2).value(), 0.5);
        for (CasePredictor.Predicted p : pred) {
            assertTrue(p.low() <= p.value() && p.value() <= p.high(), p.toString());
            assertEquals(1, p.analytic() / p.value(), 0.3, "the analytic model within 30 % of the simulation: " + p);
        }
    }
}

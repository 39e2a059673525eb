package io.storecap.model.study;

import io.storecap.model.Tier;
import io.storecap.model.TierCapacity;
import io.storecap.model.serverless.ModelThreshold;
import io.storecap.model.serverless.ServerlessCalibration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The tier table from the one model: where a route's connection-fit row comes from a run with a
 * measured serverless calibration, the row becomes the calibrated model's threshold for that tier's
 * limit ({@link ServerlessCalibration#threshold}: a busy hour's 95 % peak at the run's production
 * idle TTL, with the bootstrap interval): the same number the verdict's model clause and the
 * explanations quote.
 */
final class ModelTierCapacities {
    private ModelTierCapacities() {}

    static List<TierCapacity> of(List<TierCapacity> fromFits, Map<String, Tier> tiers, Map<String, ServerlessCalibration> byRun) {
        List<TierCapacity> out = new ArrayList<>();
        for (TierCapacity c : fromFits) {
            ServerlessCalibration cal = byRun.get(c.fromRun());
            Tier t = tiers.get(c.tier());
            if (cal == null || !cal.measured() || t == null || cal.route() != c.route()) { out.add(c); continue; }
            ModelThreshold m = cal.threshold(t, UnaryOperator.identity());
            Double stores = m.stores() == null ? null : m.stores().doubleValue();
            Double cost = stores == null || stores <= 0 ? null : t.monthlyCostUsd() / stores;
            out.add(new TierCapacity(t.id(), t.name(), c.route(), c.fromRun(), t.usableConnections(), stores,
                    m.low() == null ? null : m.low().doubleValue(), m.high() == null ? null : m.high().doubleValue(),
                    t.monthlyCostUsd(), cost, m.beyondSearch() || (stores != null && stores > cal.maxStores()), "serverless-model",
                    m.beyondSearch()));
        }
        return out;
    }
}

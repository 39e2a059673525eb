package io.storecap.model.capacity;

import io.storecap.model.Binding;
import io.storecap.model.LevelCheck;
import io.storecap.model.ModelSettings;
import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.TierCapacity;
import io.storecap.model.fit.Curve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every tier of the tiers file holds on each route. For a route, the claim result whose levels
 * cover the most stores is used: connections per store are a property of the app and the route, not
 * of the tier, as long as no level hit a limit (only good levels enter a fit). The tier's number is the
 * connection fit's crossing of the limit; {@code study.ModelTierCapacities} replaces it with the
 * calibrated serverless model's where the run has one.
 */
public final class TierCapacities {
    private TierCapacities() {}

    public static List<TierCapacity> of(List<ClaimResult> results, Map<String, RunResult> runs, Map<String, Tier> tiers, ModelSettings s) {
        List<TierCapacity> out = new ArrayList<>();
        for (Route route : Route.values()) {
            ClaimResult best = null;
            double bestTop = 0;
            for (ClaimResult r : results) {
                if (r.route() != route || r.fits() == null) continue;
                double top = r.levels().stream().filter(l -> "holds".equals(l.status()) || Binding.INSUFFICIENT.id().equals(l.status()))
                        .mapToDouble(LevelCheck::load).max().orElse(0);
                if (top > bestTop) { best = r; bestTop = top; }
            }
            if (best == null) continue;
            Curve c = best.fits().curve();
            for (Tier t : tiers.values()) {
                int limit = ClaimEvaluator.connectionLimit(t, route);
                ClaimEvaluator.LimitCrossing x = ClaimEvaluator.crossing(c, limit, bestTop * s.searchFactor());
                Double stores = x == null ? null : x.point();
                Double cost = stores == null || stores <= 0 ? null : t.monthlyCostUsd() / stores;
                out.add(new TierCapacity(t.id(), t.name(), route, best.runId(), t.usableConnections(), stores,
                        x == null ? null : x.low(), x == null ? null : x.high(), t.monthlyCostUsd(), cost,
                        stores != null && stores > bestTop));
            }
        }
        return out;
    }
}

package io.storecap.reports;

import io.storecap.model.Route;
import io.storecap.model.Tier;
import io.storecap.model.TierCapacity;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.study.StudyModel;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.storecap.reports.Fmt.esc;

/** The "Tiers" table of the assumptions: each tier's limits and price, the stores it holds on each route and a store's cost there. */
final class TiersTable {
    private TiersTable() {}

    /** The tiers and what each holds, per route: from the model's tier capacities when it has them, else from the claims. */
    static void write(StringBuilder b, StudyModel model, Map<String, Tier> tiers) {
        b.append("<h3>Tiers</h3>\n<div class=\"scroll\"><table class=\"tiers\">\n<thead><tr><th>Tier</th><th>max_connections</th>")
                .append("<th>reserved</th><th>usable by the app</th><th>PgBouncer pool</th><th>PgBouncer max clients</th>")
                .append("<th>$ / month</th><th>holds without a pooler</th><th>holds with PgBouncer</th><th>¢ per store per month (cheapest route)</th></tr></thead>\n<tbody>\n");
        boolean fromCaps = !model.tierCapacities().isEmpty();
        for (Tier t : tiers.values()) {
            if (fromCaps) {
                Optional<TierCapacity> d = capFor(model, t.id(), Route.DIRECT), p = capFor(model, t.id(), Route.POOLED);
                b.append("<tr><td>").append(esc(t.name())).append("</td><td class=\"num\">").append(t.maxConnections())
                        .append("</td><td class=\"num\">").append(t.reserved()).append("</td><td class=\"num\">").append(t.usableConnections())
                        .append("</td><td class=\"num\">").append(t.poolerPoolSize()).append("</td><td class=\"num\">")
                        .append(esc(Fmt.num((double) t.poolerMaxClientConn()))).append("</td><td class=\"num\">")
                        .append(esc(Fmt.usd(t.monthlyCostUsd()))).append("</td><td class=\"num\">").append(esc(holdsCap(d)))
                        .append("</td><td class=\"num\">").append(esc(holdsCap(p))).append("</td><td class=\"num\">")
                        .append(esc(cheapest(d, p))).append("</td></tr>\n");
                continue;
            }
            Optional<ClaimResult> direct = claimFor(model, t.id(), Route.DIRECT), pooled = claimFor(model, t.id(), Route.POOLED);
            b.append("<tr><td>").append(esc(t.name())).append("</td><td class=\"num\">").append(t.maxConnections())
                    .append("</td><td class=\"num\">").append(t.reserved()).append("</td><td class=\"num\">").append(t.usableConnections())
                    .append("</td><td class=\"num\">").append(t.poolerPoolSize()).append("</td><td class=\"num\">")
                    .append(esc(Fmt.num((double) t.poolerMaxClientConn()))).append("</td><td class=\"num\">")
                    .append(esc(Fmt.usd(t.monthlyCostUsd()))).append("</td><td class=\"num\">").append(esc(holds(direct)))
                    .append("</td><td class=\"num\">").append(esc(holds(pooled))).append("</td><td class=\"num\">")
                    .append(esc(costPerStore(t, direct, pooled))).append("</td></tr>\n");
        }
        b.append("</tbody>\n</table></div>\n<p class=\"sub\">usable = max_connections less the superuser reserve; the ")
                .append("measurements use a reserved slot, so they never take one from the app. ")
                .append(fromCaps ? (model.tierCapacities().stream().anyMatch(c -> "serverless-model".equals(c.source()))
                        ? "“Holds” is the calibrated serverless model's threshold for each tier's limit in production (a busy hour's 95 % "
                          + "peak at the runs' idle TTL), with its bootstrap interval: the number the verdicts' model clause and “Why the "
                          + "plan's numbers” quote. " : "“Holds” applies each route's measured connections-per-store fit to every tier's limit; ")
                        + "“≈” marks an extrapolation beyond the largest store count measured. A dash: no estimate."
                        : "A dash: no claim measured that tier.").append("</p>\n");
    }

    private static Optional<TierCapacity> capFor(StudyModel model, String tier, Route route) {
        return model.tierCapacities().stream().filter(c -> tier.equals(c.tier()) && c.route() == route).findFirst();
    }

    private static String holdsCap(Optional<TierCapacity> c) {
        if (c.isPresent() && c.get().beyondSearch()) return "> " + io.storecap.model.Numbers.stores((double) io.storecap.model.serverless.ServerlessCalibration.MAX_STORES) + " (beyond the range searched)";
        if (c.isEmpty() || c.get().stores() == null) return "-";
        TierCapacity x = c.get();
        String range = x.low() == null ? "" : " (" + Fmt.stores(x.low()) + "–" + (x.high() == null ? "∞" : Fmt.stores(x.high())) + ")";
        return (x.extrapolated() ? "≈ " : "") + Fmt.stores(x.stores()) + range;
    }

    private static String cheapest(Optional<TierCapacity> d, Optional<TierCapacity> p) {
        Double best = null;
        for (Optional<TierCapacity> c : List.of(d, p)) {
            Double v = c.map(TierCapacity::costPerStoreUsd).orElse(null);
            if (v != null && Double.isFinite(v) && (best == null || v < best)) best = v;
        }
        return best == null ? "-" : Fmt.cents(best);
    }

    private static Optional<ClaimResult> claimFor(StudyModel model, String tier, Route route) {
        return model.claims().stream().filter(c -> tier.equals(c.tier()) && c.route() == route).findFirst();
    }

    private static String holds(Optional<ClaimResult> c) {
        return c.map(x -> Fmt.threshold(x.measured()) + " stores").orElse("-");
    }

    private static String costPerStore(Tier t, Optional<ClaimResult> direct, Optional<ClaimResult> pooled) {
        double best = 0;
        for (Optional<ClaimResult> c : List.of(direct, pooled)) {
            Double th = c.map(x -> x.measured() == null ? null : x.measured().threshold()).orElse(null);
            if (th != null && Double.isFinite(th)) best = Math.max(best, Math.floor(th));
        }
        return best < 1 ? "-" : Fmt.cents(t.monthlyCostUsd() / best);
    }
}

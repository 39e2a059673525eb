package io.storecap.model;

import java.util.Locale;
import java.util.Map;

/** The one sentence per claim a founder reads: what was measured, with numbers, and what it means for the claim. */
final class Reasons {
    private Reasons() {}

    static String sentence(Claim claim, Tier tier, Measured m, Verdict v, CapacityModel.Stair st, FitSelection fits,
                           ModelSettings s) {
        return measurement(claim, tier, m, st, fits, s) + ", " + verdictClause(claim.claimed(), m, v) + ".";
    }

    private static String measurement(Claim claim, Tier tier, Measured m, CapacityModel.Stair st, FitSelection fits,
                                      ModelSettings s) {
        String b = m.binding();
        double lastGood = st.topTested();
        String range = "so capacity lies between " + stores(m.low()) + " and " + stores(m.high()) + " stores";
        switch (b) {
            case CapacityModel.BINDING_REFUSALS: {
                LevelResult bad = st.firstBad;
                String causes = causes(bad.refusals());
                if (st.good.isEmpty())
                    return "Postgres already refused connections (" + causes + ") at " + bad.stores()
                            + " stores, the lowest level tested, so capacity is below " + bad.stores() + " stores";
                String est = m.threshold() != null && m.threshold() > lastGood
                        ? " (about " + stores(m.threshold()) + " where the connection fit reaches the limit)" : "";
                return "Postgres refused connections (" + causes + ") at " + bad.stores() + " stores while "
                        + stores(lastGood) + " stores ran clean, " + range + est;
            }
            case CapacityModel.BINDING_ERRORS: {
                LevelResult bad = st.firstBad;
                return String.format(Locale.ROOT, "%.1f %% of requests failed at %d stores (the limit is %s %%)%s, %s",
                        100 * bad.requests().errorRate(), bad.stores(), num(100 * s.maxErrorRate()), cleanBelow(st), range);
            }
            case CapacityModel.BINDING_P95: {
                LevelResult bad = st.firstBad;
                return String.format(Locale.ROOT, "p95 latency reached %.0f ms at %d stores (the SLO is %s ms)%s, %s",
                        bad.requests().p95Ms(), bad.stores(), num(s.p95SloMs()), cleanBelow(st), range);
            }
            case CapacityModel.BINDING_POOLER_CLIENTS: {
                LevelResult bad = st.firstBad;
                return String.format(Locale.ROOT, "PgBouncer had %.0f client connections at %d stores, above its max_client_conn of %d%s, %s",
                        bad.poolerClients().max(), bad.stores(), tier.poolerMaxClientConn(), cleanBelow(st), range);
            }
            case CapacityModel.BINDING_WEBHOOK_DELAY: {
                LevelResult bad = st.firstBad;
                return String.format(Locale.ROOT, "queued webhooks waited %.1f s (p99) before processing at %d stores (the limit is %s s)%s, %s",
                        bad.webhookDelayP99Ms() / 1000, bad.stores(), num(s.maxWebhookDelayMs() / 1000), cleanBelow(st), range);
            }
            case CapacityModel.BINDING_CONNECTIONS: {
                String limit = limitText(claim, tier);
                String interval = m.high() == null ? "at least " + stores(m.low()) + " at 95 % confidence"
                        : "95 % interval " + stores(m.low()) + "-" + stores(m.high());
                String extra = m.extrapolated() ? ", beyond the top level tested (" + stores(lastGood) + "), so extrapolated" : "";
                return "Peak connections " + growth(fits) + " and reach " + limit + " at about " + stores(m.threshold())
                        + " stores (" + interval + ")" + extra;
            }
            case CapacityModel.BINDING_STAIR_TOP:
                return "Nothing failed up to " + stores(m.threshold()) + " stores, the highest level tested, so capacity is at least "
                        + stores(m.threshold()) + " stores" + estimate(claim, tier, m);
            case CapacityModel.BINDING_TEST_MACHINE:
                if (m.threshold() == null)
                    return "The test machine was the limit from the first level (" + st.cut.stores() + " stores: " + st.cutReason
                            + "), so the run says nothing about the tier";
                return "The test machine became the limit at " + st.cut.stores() + " stores (" + st.cutReason
                        + ") before any tier limit was reached; up to " + stores(m.threshold())
                        + " stores nothing failed, so capacity is at least " + stores(m.threshold()) + " stores" + estimate(claim, tier, m);
            default:
                return "The run had no usable level";
        }
    }

    private static String verdictClause(ClaimedRange c, Measured m, Verdict v) {
        String claimed = "the plan's " + c.text() + " stores";
        switch (v) {
            case OPTIMISTIC: return "so " + claimed + " is optimistic: the tier holds fewer";
            case CONSERVATIVE: return "so " + claimed + " is conservative: the tier holds more";
            case CONFIRMED: return "which confirms " + claimed;
            default:
                if (m.threshold() == null) return "so " + claimed + " cannot be judged from this run";
                if (m.lowerBound())
                    return "which is not enough to confirm " + claimed + "; a stair reaching past " + c.top()
                            + " stores" + (CapacityModel.BINDING_TEST_MACHINE.equals(m.binding()) ? " on a stronger test machine" : "")
                            + " would decide";
                if (c.openEnded())
                    return "so " + claimed + " cannot be confirmed: the interval starts below " + c.min()
                            + "; more levels around " + c.min() + " stores would decide";
                return "so " + claimed + " is undecided: the interval reaches into the claimed range but the best estimate, "
                        + stores(m.threshold()) + ", lies outside it; a finer stair around there would decide";
        }
    }

    private static String estimate(Claim claim, Tier tier, Measured m) {
        if (m.extrapolatedEstimate() == null) return "";
        return "; extrapolating the connection fit, " + limitText(claim, tier) + " would be reached near "
                + stores(m.extrapolatedEstimate()) + " stores (an extrapolation, not a measurement)";
    }

    private static String limitText(Claim claim, Tier tier) {
        int limit = CapacityModel.connectionLimit(tier, claim.route());
        return claim.route() == Route.POOLED && limit < tier.usableConnections()
                ? "PgBouncer's server pool of " + limit + " connections (beyond it requests queue)"
                : "the " + limit + " connections the app may use (" + tier.maxConnections() + " less " + tier.reserved() + " reserved)";
    }

    private static String growth(FitSelection fits) {
        if (fits == null) return "grow";
        if ("power".equals(fits.chosen()))
            return String.format(Locale.ROOT, "grow like stores^%.2f (power law, %d levels)", fits.power().b(), fits.power().n());
        return String.format(Locale.ROOT, "grow by about %s per 100 stores (straight line, %d levels)",
                num(100 * fits.linear().slope()), fits.linear().n());
    }

    private static String cleanBelow(CapacityModel.Stair st) {
        return st.good.isEmpty() ? " at the lowest level tested" : " while " + stores(st.topTested()) + " stores stayed within limits";
    }

    private static String causes(Map<String, Long> refusals) {
        StringBuilder b = new StringBuilder();
        refusals.forEach((k, n) -> {
            if (n > 0) b.append(b.length() == 0 ? "" : ", ").append(n).append(" ").append(k.replace('_', ' '));
        });
        return b.length() == 0 ? "refusals" : b.toString();
    }

    static String stores(Double v) {
        if (v == null) return "no upper bound";
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String num(double v) {
        if (v == Math.rint(v)) return String.format(Locale.ROOT, "%.0f", v);
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }
}

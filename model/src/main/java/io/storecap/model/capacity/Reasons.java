package io.storecap.model.capacity;

import io.storecap.model.Binding;
import io.storecap.model.Claim;
import io.storecap.model.ClaimedRange;
import io.storecap.model.LevelResult;
import io.storecap.model.Measured;
import io.storecap.model.MeasuredKind;
import io.storecap.model.ModelSettings;
import io.storecap.model.Numbers;
import io.storecap.model.Route;
import io.storecap.model.Tier;
import io.storecap.model.Verdict;
import io.storecap.model.fit.FitSelection;
import io.storecap.model.verdict.LevelJudge;
import io.storecap.model.verdict.Stair;

import java.util.Locale;

/** The one sentence per claim a founder reads: what was measured, with numbers, and what it means for the claim. */
final class Reasons {
    private Reasons() {}

    static String sentence(Claim claim, Tier tier, Measured m, Verdict v, Stair st, FitSelection fits,
                           ModelSettings s) {
        return measurement(claim, tier, m, st) + ", " + verdictClause(claim.claimed(), m, v) + ".";
    }

    private static String measurement(Claim claim, Tier tier, Measured m, Stair st) {
        switch (m.kind()) {
            case KNEE: {
                LevelResult bad = st.firstBad();
                String what = bad == null ? String.valueOf(m.binding()) : st.judgement(bad).why();
                if (m.threshold() == null)
                    return "Every level that counted failed (lowest at " + stores(m.high()) + " stores: " + what
                            + "), so the knee lies below " + stores(m.high()) + " stores";
                return "The load was raised until " + bindingWords(m.binding(), claim, tier) + " (first at "
                        + (bad == null ? "?" : stores(bad.effectiveStores())) + " stores: " + what + "); the knee is "
                        + stores(m.threshold()) + " stores (95 % interval " + stores(m.low()) + "-" + stores(m.high()) + ", "
                        + m.replicates() + " replicate" + (m.replicates() == 1 ? "" : "s") + " at each end of the bracket)";
            }
            case MACHINE_LIMITED:
                return "The test machine saturated at " + stores(st.cut().effectiveStores()) + " stores (" + m.saturated()
                        + ") before any tier limit bound; up to " + stores(m.threshold()) + " stores every constraint held, so capacity is at least "
                        + stores(m.threshold()) + " stores" + estimate(claim, tier, m);
            case LOWER_BOUND:
                return "Nothing bound up to " + stores(m.threshold()) + " stores, the highest load searched, so capacity is at least "
                        + stores(m.threshold()) + " stores" + estimate(claim, tier, m);
            default:
                if (m.binding() == Binding.TEST_MACHINE && st.cut() != null)
                    return "The test machine was the limit from the lowest load (" + stores(st.cut().effectiveStores()) + " stores: "
                            + st.cutReason() + "), so the run says nothing about the tier";
                if (m.binding() == Binding.INSUFFICIENT)
                    return "No level carried the " + LevelJudge.MIN_REQUESTS_TO_HOLD
                            + " requests needed to say it held (0 failures in 299 bound the error rate at 1 %)";
                return "The run had no usable level";
        }
    }

    /** The constraint that bound, in words. */
    static String bindingWords(Binding binding, Claim claim, Tier tier) {
        if (binding == null) return "a constraint bound";
        return switch (binding) {
            case REFUSALS -> "Postgres refused connections";
            case POOL_TIMEOUT -> "requests timed out waiting for a connection (P2024)";
            case CONNECTIONS -> "connections reached " + limitText(claim, tier);
            case ERRORS -> "the error rate passed its limit";
            case P95 -> "p95 latency passed the SLO";
            case POOLER_CLIENTS -> "PgBouncer's max_client_conn was passed";
            case WEBHOOK_DELAY -> "queued webhooks waited past their limit";
            default -> binding.label() + " bound";
        };
    }

    private static String verdictClause(ClaimedRange c, Measured m, Verdict v) {
        String claimed = "the plan's " + c.text() + " stores";
        switch (v) {
            case OPTIMISTIC: return "so " + claimed + " is optimistic: the tier holds fewer";
            case CONSERVATIVE: return "so " + claimed + " is conservative: the tier holds more";
            case CONFIRMED: return m.kind().lowerBoundOnly() ? "which confirms " + claimed + " (a lower bound at or above its minimum)"
                    : "which confirms " + claimed;
            case NOT_REFUTED: return "so nothing refutes " + claimed + ", but nothing confirms it either: the search stopped at "
                    + stores(m.threshold()) + (m.binding() == Binding.TEST_MACHINE ? " on this machine" : "");
            default:
                if (m.threshold() == null && m.kind() == MeasuredKind.KNEE)
                    return "so " + claimed + " cannot be judged: no level below the failures held";
                if (m.threshold() == null) return "so " + claimed + " cannot be judged from this run";
                return "so " + claimed + " is undecided: the knee's interval straddles " + c.min() + " stores";
        }
    }

    private static String estimate(Claim claim, Tier tier, Measured m) {
        if (m.extrapolatedEstimate() == null) return "";
        return "; extrapolating the connection fit, " + limitText(claim, tier) + " would be reached near "
                + stores(m.extrapolatedEstimate()) + " stores (an extrapolation, not a measurement)";
    }

    private static String limitText(Claim claim, Tier tier) {
        int limit = ClaimEvaluator.connectionLimit(tier, claim.route());
        return claim.route() == Route.POOLED && limit < tier.usableConnections()
                ? "PgBouncer's server pool of " + limit + " connections (beyond it requests queue)"
                : "the " + limit + " connections the app may use (" + tier.maxConnections() + " less " + tier.reserved() + " reserved)";
    }

    /** A store count in the one format ({@link Numbers#stores}); an open upper end reads "no upper bound". */
    static String stores(Double v) {
        return v == null ? "no upper bound" : Numbers.stores(v);
    }
}

package io.storecap.reports;

import io.storecap.model.Tier;
import io.storecap.model.Verdict;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.study.StudyModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The three plain sentences at the top of the page, derived from the verdicts: never written by hand. */
public final class Tldr {
    private Tldr() {}

    public static List<String> lines(StudyModel model, Map<String, Tier> tiers, int planningStores) {
        List<ClaimResult> claims = model.claims();
        List<String> out = new ArrayList<>(3);
        out.add(tally(claims));
        out.add(gaps(claims));
        out.add(recommendation(claims, tiers, planningStores));
        return out;
    }

    private static String tally(List<ClaimResult> claims) {
        if (claims.isEmpty()) return "The study produced no claim results.";
        Map<Verdict, Integer> n = new EnumMap<>(Verdict.class);
        for (ClaimResult c : claims) n.merge(c.verdict(), 1, Integer::sum);
        List<String> parts = new ArrayList<>();
        if (n.containsKey(Verdict.CONFIRMED)) parts.add(n.get(Verdict.CONFIRMED) + " " + (n.get(Verdict.CONFIRMED) == 1 ? "holds" : "hold"));
        if (n.containsKey(Verdict.OPTIMISTIC)) parts.add(n.get(Verdict.OPTIMISTIC) + " " + (n.get(Verdict.OPTIMISTIC) == 1 ? "is" : "are") + " too optimistic");
        if (n.containsKey(Verdict.CONSERVATIVE)) parts.add(n.get(Verdict.CONSERVATIVE) + " " + (n.get(Verdict.CONSERVATIVE) == 1 ? "is" : "are") + " too cautious (more capacity than claimed)");
        if (n.containsKey(Verdict.NOT_REFUTED)) parts.add(n.get(Verdict.NOT_REFUTED) + " " + (n.get(Verdict.NOT_REFUTED) == 1 ? "is" : "are")
                + " not refuted (a lower bound that does not reach past the claim)");
        if (n.containsKey(Verdict.INCONCLUSIVE)) parts.add(n.get(Verdict.INCONCLUSIVE) + " could not be decided");
        return "Of the plan's " + claims.size() + " capacity " + (claims.size() == 1 ? "claim, " : "claims, ")
                + join(parts) + ".";
    }

    private static String gaps(List<ClaimResult> claims) {
        List<ClaimResult> optimistic = claims.stream().filter(c -> c.verdict() == Verdict.OPTIMISTIC && c.measured() != null)
                .sorted(Comparator.comparingDouble(Tldr::shortfall).reversed()).limit(2).toList();
        if (!optimistic.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (ClaimResult c : optimistic)
                parts.add(tierName(c) + " " + Fmt.route(c.route()) + " holds about " + Fmt.threshold(c.measured())
                        + " stores, not " + c.claimed().text() + " (limited by " + Fmt.binding(c.measured().binding()) + ")");
            return "Too optimistic: " + String.join("; ", parts) + ".";
        }
        List<ClaimResult> conservative = claims.stream().filter(c -> c.verdict() == Verdict.CONSERVATIVE).limit(2).toList();
        if (!conservative.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (ClaimResult c : conservative)
                parts.add(tierName(c) + " " + Fmt.route(c.route()) + " holds " + Fmt.threshold(c.measured())
                        + " stores, more than the claimed " + c.claimed().text());
            return "Room to spare: " + String.join("; ", parts) + ".";
        }
        List<ClaimResult> open = claims.stream().filter(c -> c.verdict() == Verdict.INCONCLUSIVE).limit(2).toList();
        if (!open.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (ClaimResult c : open) parts.add(c.id() + ": " + stripDot(c.reason() == null ? "no reason given" : c.reason()));
            return "Undecided: " + String.join("; ", parts) + ".";
        }
        return claims.isEmpty() ? "Nothing was measured." : "Every measured capacity falls within its claimed range.";
    }

    private static String recommendation(List<ClaimResult> claims, Map<String, Tier> tiers, int stores) {
        String target = Fmt.num((double) stores);
        Optional<ClaimResult> cheapest = claims.stream()
                .filter(c -> c.measured() != null && c.measured().threshold() != null && c.measured().threshold() >= stores)
                .filter(c -> !"test-machine".equals(c.measured().binding()))
                .min(Comparator.comparingDouble((ClaimResult c) -> cost(c, tiers))
                        .thenComparing(c -> -c.measured().threshold()));
        if (cheapest.isPresent()) {
            ClaimResult c = cheapest.get();
            double cost = cost(c, tiers);
            return "For " + target + " stores, the cheapest setup measured is " + tierName(c) + " " + Fmt.route(c.route())
                    + (Double.isFinite(cost) ? " (" + Fmt.usd(cost) + "/month)" : "") + ", good for "
                    + Fmt.threshold(c.measured()) + " stores"
                    + (c.measured().kind() == io.storecap.model.MeasuredKind.KNEE ? " at its measured knee (under the assumptions listed for it)" : "")
                    + ".";
        }
        Optional<ClaimResult> best = claims.stream()
                .filter(c -> c.measured() != null && c.measured().threshold() != null)
                .max(Comparator.comparingDouble(c -> c.measured().threshold()));
        return best.map(c -> "No setup measured holds " + target + " stores; the most was " + tierName(c) + " "
                        + Fmt.route(c.route()) + " at about " + Fmt.threshold(c.measured()) + " stores.")
                .orElse("No capacity could be measured; the table says why for each claim.");
    }

    private static double shortfall(ClaimResult c) {
        Double t = c.measured().threshold();
        return t == null ? 0 : (c.claimed().min() - t) / Math.max(1, c.claimed().min());
    }

    private static double cost(ClaimResult c, Map<String, Tier> tiers) {
        Tier t = tiers.get(c.tier());
        return t == null ? Double.POSITIVE_INFINITY : t.monthlyCostUsd();
    }

    private static String tierName(ClaimResult c) {
        return c.tier() == null ? "?" : Character.toUpperCase(c.tier().charAt(0)) + c.tier().substring(1);
    }

    private static String stripDot(String s) { return s.endsWith(".") ? s.substring(0, s.length() - 1) : s; }

    private static String join(List<String> parts) {
        if (parts.size() == 1) return parts.get(0);
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }
}

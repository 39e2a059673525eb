package io.storecap.model.checklist;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The plan's steps ordered by what they buy: stores of capacity, else milliseconds of p95, per hour
 * of work (the hours the checklist file gives each step) and per dollar a month. A step whose
 * measured effect is negligible, or that buys neither, comes last and is said not to matter at this
 * traffic.
 */
public final class Ranking {
    private Ranking() {}

    /**
     * What one step bought.
     *
     * @param id                 the step's id
     * @param words              what the step is, in the plan's words
     * @param capacityGainStores stores of capacity it added (on - off), null when not measured
     * @param capacityLowerBound the gain is a lower bound (the step's configuration did not fail)
     * @param p95GainMs          ms of p95 it saved (off - on: positive is faster), null when not measured
     * @param hours              hours of work it takes
     * @param monthlyCostUsd     what it adds to the monthly bill
     * @param effect             what the interval of its main effect says: only a better effect that the
     *                           interval shows (large or small) buys anything; a negligible one does not
     *                           matter at this traffic, an unclear one is not shown by the cells
     * @param atTraffic          what users see at the user's traffic (the plan's store count): the p95 of
     *                           the requests the step is about there, drift allowed for; for a step
     *                           measured only there it is {@code effect}
     */
    public record StepValue(String id, String words, Double capacityGainStores, boolean capacityLowerBound, Double p95GainMs,
                            double hours, double monthlyCostUsd, Effect effect, Effect atTraffic) {
        public StepValue {
            if (!(hours > 0)) throw new IllegalArgumentException("step '" + id + "': hours of work must be > 0, was " + hours);
            if (monthlyCostUsd < 0) throw new IllegalArgumentException("step '" + id + "': a monthly cost must be >= 0, was " + monthlyCostUsd);
        }

        /** A step measured only at the user's traffic: its effect there is its main effect. */
        public StepValue(String id, String words, Double capacityGainStores, boolean capacityLowerBound, Double p95GainMs,
                         double hours, double monthlyCostUsd, Effect effect) {
            this(id, words, capacityGainStores, capacityLowerBound, p95GainMs, hours, monthlyCostUsd, effect, effect);
        }

        /**
         * What users would notice at the user's traffic: "better", "worse", "negligible" (the interval
         * lies within the band: it does not matter there) or "unclear"; "not measured" without cells.
         */
        public String atYourTraffic() {
            if (atTraffic == null) return "not measured";
            if (atTraffic.negligible()) return "negligible";
            if (atTraffic.direction() == Effect.Direction.BETTER) return "better";
            if (atTraffic.direction() == Effect.Direction.WORSE) return "worse";
            return "unclear";
        }

        private boolean shown() {
            return effect != null && (effect.size() == Effect.Size.LARGE || effect.size() == Effect.Size.SMALL)
                    && effect.direction() == Effect.Direction.BETTER;
        }

        boolean buysCapacity() { return shown() && capacityGainStores != null && capacityGainStores > 0; }

        boolean buysSpeed() { return shown() && p95GainMs != null && p95GainMs > 0; }

        /** Why a step buys nothing here: its effect is negligible, or the cells do not show it. */
        public String nothingBecause() {
            if (effect != null && effect.negligible()) return "does not matter at this traffic (negligible)";
            if (effect != null && effect.direction() == Effect.Direction.WORSE) return "makes it worse at this traffic";
            return "not shown by these cells (the interval holds 0)";
        }
    }

    /**
     * A step's place.
     *
     * @param rank            1 = the best buy
     * @param step            what it bought
     * @param storesPerHour   capacity gain per hour of work (null when it buys no capacity)
     * @param storesPerDollar capacity gain per dollar a month (null when it costs nothing or buys none)
     * @param msPerHour       p95 saved per hour of work (null when it saves none)
     * @param msPerDollar     p95 saved per dollar a month (null when it costs nothing or saves none)
     * @param matters         false: its effect at this traffic is negligible, worse or not shown
     */
    public record Ranked(int rank, StepValue step, Double storesPerHour, Double storesPerDollar, Double msPerHour, Double msPerDollar,
                         boolean matters) {}

    public static List<Ranked> rank(List<StepValue> steps) {
        Comparator<StepValue> order = Comparator.comparingInt(Ranking::group)
                .thenComparing(Comparator.comparingDouble(Ranking::perHour).reversed())
                .thenComparing(StepValue::id);
        List<Ranked> out = new ArrayList<>();
        int i = 0;
        for (StepValue s : steps.stream().sorted(order).toList()) {
            boolean cap = s.buysCapacity(), speed = s.buysSpeed();
            out.add(new Ranked(++i, s, cap ? s.capacityGainStores() / s.hours() : null,
                    cap && s.monthlyCostUsd() > 0 ? s.capacityGainStores() / s.monthlyCostUsd() : null,
                    speed ? s.p95GainMs() / s.hours() : null,
                    speed && s.monthlyCostUsd() > 0 ? s.p95GainMs() / s.monthlyCostUsd() : null,
                    cap || speed));
        }
        return out;
    }

    /** 0: buys capacity; 1: buys speed only; 2: does not matter here. */
    private static int group(StepValue s) { return s.buysCapacity() ? 0 : s.buysSpeed() ? 1 : 2; }

    private static double perHour(StepValue s) {
        if (s.buysCapacity()) return s.capacityGainStores() / s.hours();
        if (s.buysSpeed()) return s.p95GainMs() / s.hours();
        return 0;
    }
}

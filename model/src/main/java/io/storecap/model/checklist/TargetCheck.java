package io.storecap.model.checklist;

import java.util.Locale;

/**
 * One of the seed plan's targets judged at the store count it names, on a measured estimate and its
 * 95 % interval: MET when the whole interval is on the goal's side, MISSED when the whole interval is
 * past it, TOO_FEW when the interval straddles it (more observations would decide); an estimate the plan
 * gives as a range ("50-100 connections") is BELOW or ABOVE it when the whole interval lies outside: the
 * plan's figure was wrong, which is not by itself a miss (fewer connections than expected is good news).
 *
 * @param id       stable key (summary.json)
 * @param target   what the plan says
 * @param goal     the limit in words ("< 200 ms")
 * @param stores   the store count the target names (and the level measured it at)
 * @param measured the estimate it is judged on, with the count it rests on; null when not measured
 * @param status   the judgement
 * @param note     what the count is (requests, loads, webhooks) and how the cell was run
 */
public record TargetCheck(String id, String target, String goal, Integer stores, Estimate measured, Status status, String note) {

    public enum Status {
        MET, MISSED, TOO_FEW, NOT_MEASURED, BELOW, ABOVE;

        public String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }
    }

    /** A goal "below {@code limit}". */
    public static TargetCheck below(String id, String target, String goal, Integer stores, double limit, Estimate e, String note) {
        if (e == null || e.count() == 0) return new TargetCheck(id, target, goal, stores, e, Status.NOT_MEASURED, note);
        Status s = e.high() != null && e.high() < limit ? Status.MET : e.low() != null && e.low() >= limit ? Status.MISSED : Status.TOO_FEW;
        return new TargetCheck(id, target, goal, stores, e, s, note);
    }

    /** A goal "at least {@code limit}". */
    public static TargetCheck atLeast(String id, String target, String goal, Integer stores, double limit, Estimate e, String note) {
        if (e == null || e.count() == 0) return new TargetCheck(id, target, goal, stores, e, Status.NOT_MEASURED, note);
        Status s = e.low() != null && e.low() >= limit ? Status.MET : e.high() != null && e.high() < limit ? Status.MISSED : Status.TOO_FEW;
        return new TargetCheck(id, target, goal, stores, e, s, note);
    }

    /** An estimated range [lo, hi]: MET when the interval lies inside it, BELOW or ABOVE when wholly outside. */
    public static TargetCheck within(String id, String target, String goal, Integer stores, double lo, double hi, Estimate e, String note) {
        if (e == null || e.count() == 0) return new TargetCheck(id, target, goal, stores, e, Status.NOT_MEASURED, note);
        Status s;
        if (e.low() != null && e.high() != null && e.low() >= lo && e.high() <= hi) s = Status.MET;
        else if (e.high() != null && e.high() < lo) s = Status.BELOW;
        else if (e.low() != null && e.low() > hi) s = Status.ABOVE;
        else s = Status.TOO_FEW;
        return new TargetCheck(id, target, goal, stores, e, s, note);
    }
}

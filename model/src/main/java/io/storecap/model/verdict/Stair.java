package io.storecap.model.verdict;

import io.storecap.model.Binding;
import io.storecap.model.LevelCheck;
import io.storecap.model.LevelResult;
import io.storecap.model.ModelSettings;
import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.knee.KneeFit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The levels of one run, each judged by {@link LevelJudge} and ordered by the load they really
 * carried ({@link LevelResult#effectiveStores()}). The lowest machine-limited level cuts the data:
 * nothing above it says anything about the tier. The good levels (holding or insufficient, below
 * the first failure and the cut) are what fits and calibrations may use.
 */
public final class Stair {
    private final List<LevelResult> good = new ArrayList<>();
    private final List<LevelResult> judged = new ArrayList<>();
    private final Map<LevelResult, LevelJudge.Judgement> judgements = new IdentityHashMap<>();
    private final List<LevelCheck> checks = new ArrayList<>();
    private LevelResult firstBad;
    private Binding badReason;
    private LevelResult cut;
    private String cutReason;
    private int levelCount;
    private RunResult.Search search;

    private Stair() {}

    /**
     * The levels of a run that held every tier limit, before any failing or test-machine level, in
     * store order: the levels a model may be calibrated on.
     */
    public static List<LevelResult> goodLevels(RunResult run, ModelSettings s) {
        return List.copyOf(judge(run, run.config().tier(), s).good);
    }

    /** Judges every level of {@code run} against {@code tier}. */
    public static Stair judge(RunResult run, Tier tier, ModelSettings s) {
        Stair st = new Stair();
        st.search = run.search();
        List<LevelResult> levels = new ArrayList<>(run.levels());
        st.levelCount = levels.size();
        levels.sort(Comparator.comparingDouble(LevelResult::effectiveStores));
        Route route = run.config().route();
        for (LevelResult l : levels) {
            LevelJudge.Judgement j = LevelJudge.judge(l, tier, route, s);
            String status;
            if (st.cut != null) {
                status = "not-used";
            } else if (j.outcome() == LevelJudge.Outcome.MACHINE) {
                st.cut = l;
                st.cutReason = j.why();
                status = Binding.TEST_MACHINE.id();
            } else {
                st.judged.add(l);
                st.judgements.put(l, j);
                if (j.outcome() == LevelJudge.Outcome.FAILS) {
                    if (st.firstBad == null) {
                        st.firstBad = l;
                        st.badReason = j.binding();
                    }
                    status = j.binding().id();
                } else {
                    if (st.firstBad == null) st.good.add(l);
                    status = j.outcome() == LevelJudge.Outcome.HOLDS ? "holds" : Binding.INSUFFICIENT.id();
                }
            }
            st.checks.add(new LevelCheck(l.stores(), l.serverConnections().max(), l.requests().p95Ms(),
                    l.requests().errorRate(), l.totalRefusals(), l.injectionRatio(), l.cpuMean(), status,
                    l.effectiveStores(), l.requests().count(), l.timeScale(), l.phase(), j.why()));
        }
        return st;
    }

    /** Holding and insufficient levels below the first failure and the cut, in load order. */
    public List<LevelResult> good() { return List.copyOf(good); }

    /** How each level was judged, in load order (levels above the cut marked not-used). */
    public List<LevelCheck> checks() { return List.copyOf(checks); }

    /** The judgement of a level below the cut; null for a level above it. */
    public LevelJudge.Judgement judgement(LevelResult l) { return judgements.get(l); }

    /** The lowest failing level below the cut, or null. */
    public LevelResult firstBad() { return firstBad; }

    /** What bound at {@link #firstBad()}, or null. */
    public Binding badReason() { return badReason; }

    /** The lowest machine-limited level, or null. */
    public LevelResult cut() { return cut; }

    /** Why the machine limited {@link #cut()}, or null. */
    public String cutReason() { return cutReason; }

    /** How many levels the run had. */
    public int levelCount() { return levelCount; }

    /** The levels that held (enough requests, nothing bound), below the cut. */
    public List<LevelResult> holding() {
        return judged.stream().filter(l -> judgements.get(l).outcome() == LevelJudge.Outcome.HOLDS).toList();
    }

    /** Pass/fail by load of every level that counts, for the knee fit. */
    public List<KneeFit.Observation> observations() {
        List<KneeFit.Observation> out = new ArrayList<>();
        for (LevelResult l : judged) {
            LevelJudge.Judgement j = judgements.get(l);
            if (j.counts() && l.effectiveStores() > 0)
                out.add(new KneeFit.Observation(l.effectiveStores(), j.outcome() == LevelJudge.Outcome.FAILS));
        }
        return out;
    }

    /** The constraint that bound most often among the failing levels at or above the knee. */
    public Binding kneeBinding(double knee) {
        Map<Binding, Long> n = judged.stream().filter(l -> judgements.get(l).outcome() == LevelJudge.Outcome.FAILS)
                .filter(l -> l.effectiveStores() >= knee * 0.9)
                .collect(Collectors.groupingBy(l -> judgements.get(l).binding(), LinkedHashMap::new, Collectors.counting()));
        return n.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(badReason);
    }

    /**
     * How many times each end of the knee's bracket was measured: the store count of the highest
     * holding level below the knee and of the lowest failing level above it, each counting the
     * levels run at that store count (fresh seeds) that counted; the smaller count.
     */
    public int replicates(double knee) {
        // a search names its final bracket; its ends are the store counts it replicated
        if (search != null && search.low() != null && search.high() != null) return (int) Math.min(at(search.low()), at(search.high()));
        var lo = holding().stream().filter(l -> l.effectiveStores() < knee).max(Comparator.comparingDouble(LevelResult::effectiveStores));
        var hi = judged.stream().filter(l -> judgements.get(l).outcome() == LevelJudge.Outcome.FAILS)
                .filter(l -> l.effectiveStores() > knee).min(Comparator.comparingDouble(LevelResult::effectiveStores));
        if (lo.isEmpty() || hi.isEmpty()) return 0;
        return (int) Math.min(at(lo.get().stores()), at(hi.get().stores()));
    }

    private long at(int stores) {
        return judged.stream().filter(l -> judgements.get(l).counts()).filter(l -> l.stores() == stores).count();
    }

    /** Highest load of the good levels (0 when none). */
    public double topTested() { return good.isEmpty() ? 0 : good.get(good.size() - 1).effectiveStores(); }

    /** Loads of the good levels. */
    public double[] xs() { return good.stream().mapToDouble(LevelResult::effectiveStores).toArray(); }

    /** Peak server connections of the good levels. */
    public double[] ys() { return good.stream().mapToDouble(l -> l.serverConnections().max()).toArray(); }
}

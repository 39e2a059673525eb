package io.storecap.model;

import io.storecap.model.verdict.LevelJudge;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LevelJudgeTest {
    static final Tier FREE = new Tier("free", "Free", 100, 3, 0, 10000, 0, null);
    static final ModelSettings S = ModelSettings.defaults();

    static LevelResult level(long count, long ko, double p95, Double p95Upper, double peak, Map<String, Long> refusals, Map<String, Double> cores) {
        RequestStats r = new RequestStats(count, count - ko, ko, p95 / 2, p95 / 3, p95, p95, p95, p95Upper, p95Upper == null ? null : p95 * 0.9);
        return new LevelResult(100, 0, 10_000, count / 10.0, count / 10.0, r, Map.of(), new ConnectionStats(peak, peak, peak, 100),
                ConnectionStats.EMPTY, ConnectionStats.EMPTY, ConnectionStats.EMPTY, ConnectionStats.EMPTY, refusals, 0, 0.3, 0.5,
                null, null, 1, 1L, "ramp", cores);
    }

    static LevelJudge.Judgement judge(LevelResult l) { return LevelJudge.judge(l, FREE, Route.DIRECT, S); }

    @Test
    void holdingNeeds299Requests() {
        assertEquals(LevelJudge.Outcome.HOLDS, judge(level(299, 0, 50, 60.0, 10, Map.of(), Map.of())).outcome());
        assertEquals(LevelJudge.Outcome.INSUFFICIENT, judge(level(298, 0, 50, 60.0, 10, Map.of(), Map.of())).outcome());
    }

    @Test
    void eachConstraintFailsALevel() {
        assertEquals(Binding.REFUSALS, judge(level(10, 0, 50, null, 10, Map.of("too_many_clients", 1L), Map.of())).binding());
        assertEquals(Binding.POOL_TIMEOUT, judge(level(500, 0, 50, 60.0, 10, Map.of("pool_timeout", 2L), Map.of())).binding());
        assertEquals(Binding.CONNECTIONS, judge(level(500, 0, 50, 60.0, 97, Map.of(), Map.of())).binding());
        assertEquals(LevelJudge.Outcome.HOLDS, judge(level(500, 0, 50, 60.0, 96, Map.of(), Map.of())).outcome());
        assertEquals(Binding.ERRORS, judge(level(400, 1, 50, 60.0, 10, Map.of(), Map.of())).binding(),
                "1 in 400: the upper bound 1.2 % passes 1 %");
        assertEquals(LevelJudge.Outcome.INSUFFICIENT, judge(level(100, 1, 50, 60.0, 10, Map.of(), Map.of())).outcome(),
                "1 in 100 neither proves nor refutes 1 %");
        assertEquals(Binding.ERRORS, judge(level(100, 5, 50, 60.0, 10, Map.of(), Map.of())).binding(), "5 in 100: above 1 % with 95 % confidence");
        assertEquals(Binding.P95, judge(level(500, 0, 450, 520.0, 10, Map.of(), Map.of())).binding(), "the p95's upper bound passes the SLO");
        assertEquals(LevelJudge.Outcome.HOLDS, judge(level(500, 0, 450, 490.0, 10, Map.of(), Map.of())).outcome());
        assertEquals(LevelJudge.Outcome.INSUFFICIENT, judge(level(70, 0, 370, 584.0, 4, Map.of(), Map.of())).outcome(),
                "70 requests, p95 370 ms: the upper bound (the slowest few) passes 500 ms, but 70 requests show nothing either way");
        assertEquals(Binding.P95, judge(level(70, 0, 900, 1200.0, 4, Map.of(), Map.of())).binding(), "p95 900 ms: even its lower bound passes 500 ms");
    }

    @Test
    void theMachineComesFirstAndPgBouncersThreadIsPartOfIt() {
        LevelJudge.Judgement j = judge(level(500, 0, 50, 60.0, 97, Map.of("too_many_clients", 3L), Map.of("pgbouncer", 0.7)));
        assertEquals(LevelJudge.Outcome.MACHINE, j.outcome());
        assertEquals(LevelJudge.Outcome.FAILS, judge(level(500, 0, 50, 60.0, 97, Map.of(), Map.of("pgbouncer", 0.5))).outcome());
    }
}

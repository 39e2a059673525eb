package io.storecap.model.verdict;

import io.storecap.model.Binding;
import io.storecap.model.Binomial;
import io.storecap.model.LevelResult;
import io.storecap.model.ModelSettings;
import io.storecap.model.Numbers;
import io.storecap.model.RequestStats;
import io.storecap.model.Route;
import io.storecap.model.Tier;

import java.util.Locale;

/**
 * Judges one level: did it hold, fail, carry too little to say, or was the test machine the limit?
 * The knee search raises the load on these outcomes; the knee is fitted on them.
 *
 * <ol>
 *   <li><b>machine</b>: the injector fell behind beyond Poisson noise, the machine's mean CPU
 *       reached {@link ModelSettings#cpuSaturation()}, PgBouncer's single thread used more than
 *       {@link #POOLER_CORE_LIMIT} of a core, or the emulator's own instance cap was hit. Such a
 *       level says nothing about the tier.</li>
 *   <li><b>fails</b>, the first constraint that binds: Postgres refused connections (53300), a
 *       pool wait timed out (P2024), direct server connections reached the usable limit, pooler
 *       clients passed max_client_conn, the error rate is above the limit with 95 % confidence
 *       (or its 95 % upper bound is above it on a level with enough requests to have bounded it),
 *       the p95 is above the SLO in the same sense (its lower bound above, or its upper bound
 *       above on a level of at least 299 requests), or
 *       queued webhooks' p99 delay is above its limit. Latencies and delays are production-equivalent.</li>
 *   <li><b>holds</b>: nothing failed and the level carried at least
 *       {@link #MIN_REQUESTS_TO_HOLD} requests: with none failing, that bounds the error rate
 *       below 1 % at 95 % confidence.</li>
 *   <li><b>insufficient</b>: nothing failed, but too few requests to say that it held.</li>
 * </ol>
 */
public final class LevelJudge {
    private LevelJudge() {}

    /** 0 failures in 299 requests bound the error rate below 1 % with 95 % confidence. */
    public static final int MIN_REQUESTS_TO_HOLD = LevelResult.MIN_REQUESTS_TO_HOLD;

    /** PgBouncer runs one thread: above this share of a core it, not the tier, limits throughput. */
    public static final double POOLER_CORE_LIMIT = 0.6;

    public enum Outcome { HOLDS, FAILS, INSUFFICIENT, MACHINE }

    /**
     * @param outcome what the level showed
     * @param binding for FAILS the constraint , for MACHINE "test-machine"
     * @param why     the reason in words, with the numbers
     * @param margin  how close the nearest continuous constraint came, as a share of its limit
     *                (connections, p95, pooler clients, webhook delay); guides the search's next step
     */
    public record Judgement(Outcome outcome, Binding binding, String why, double margin) {
        public boolean counts() { return outcome == Outcome.HOLDS || outcome == Outcome.FAILS; }
    }

    public static Judgement judge(LevelResult l, Tier tier, Route route, ModelSettings s) {
        double margin = margin(l, tier, route, s);
        String machine = machineLimit(l, s);
        if (machine != null) return new Judgement(Outcome.MACHINE, Binding.TEST_MACHINE, machine, margin);
        RequestStats r = l.requests();
        long tooMany = l.refusals().getOrDefault("too_many_clients", 0L);
        long poolTimeouts = l.refusals().getOrDefault("pool_timeout", 0L);
        if (tooMany > 0)
            return fail(Binding.REFUSALS, tooMany + " connections refused by Postgres (too many clients)", margin);
        if (poolTimeouts > 0)
            return fail(Binding.POOL_TIMEOUT, poolTimeouts + " requests timed out waiting for a pooled connection (P2024)", margin);
        int usable = tier.usableConnections();
        if (route == Route.DIRECT && l.serverConnections().max() >= usable)
            return fail(Binding.CONNECTIONS, String.format(Locale.ROOT,
                    "server connections reached %.0f of the %d the app may use", l.serverConnections().max(), usable), margin);
        if (l.poolerClients().max() > tier.poolerMaxClientConn())
            return fail(Binding.POOLER_CLIENTS, String.format(Locale.ROOT,
                    "%.0f pooler clients, above max_client_conn %d", l.poolerClients().max(), tier.poolerMaxClientConn()), margin);
        double errUpper = Binomial.upper(r.ko(), r.count(), 0.95);
        double errLower = Binomial.lower(r.ko(), r.count(), 0.95);
        if (r.ko() > 0 && (errLower > s.maxErrorRate() || (errUpper > s.maxErrorRate() && r.count() >= MIN_REQUESTS_TO_HOLD)))
            return fail(Binding.ERRORS, String.format(Locale.ROOT,
                    "%d of %d requests failed (95 %% upper bound %.2f %%, the limit is %s %%)", r.ko(), r.count(), 100 * errUpper,
                    Numbers.num(100 * s.maxErrorRate())), margin);
        // as for errors: clearly above (the p95's lower bound), or not shown below on a level large enough to show it
        Double p95Bound = r.p95UpperMs();
        boolean p95Fails = p95Bound == null && r.p95LowerMs() == null
                ? r.count() >= LevelResult.MIN_REQUESTS_FOR_P95 && r.p95Ms() > s.p95SloMs()      // a run file without bounds
                : (r.p95LowerMs() != null && r.p95LowerMs() > s.p95SloMs())
                  || (p95Bound != null && p95Bound > s.p95SloMs() && r.count() >= MIN_REQUESTS_TO_HOLD);
        if (p95Fails)
            return fail(Binding.P95, String.format(Locale.ROOT, "p95 %.0f ms (95 %% upper bound %s) over %d requests, the SLO is %s ms",
                    r.p95Ms(), p95Bound == null ? "not bounded" : Math.round(p95Bound) + " ms", r.count(), Numbers.num(s.p95SloMs())), margin);
        if (l.webhookDelayP99Ms() != null && l.webhookDelayP99Ms() > s.maxWebhookDelayMs())
            return fail(Binding.WEBHOOK_DELAY, String.format(Locale.ROOT, "queued webhooks waited %.1f s at p99, the limit is %s s",
                    l.webhookDelayP99Ms() / 1000, Numbers.num(s.maxWebhookDelayMs() / 1000)), margin);
        if (r.count() >= MIN_REQUESTS_TO_HOLD)
            return new Judgement(Outcome.HOLDS, null, String.format(Locale.ROOT, "%d requests, %d failed: every constraint held", r.count(), r.ko()), margin);
        return new Judgement(Outcome.INSUFFICIENT, null, String.format(Locale.ROOT,
                "%d requests, fewer than the %d that bound the error rate at 1 %%: not counted as holding", r.count(), MIN_REQUESTS_TO_HOLD), margin);
    }

    private static Judgement fail(Binding binding, String why, double margin) {
        return new Judgement(Outcome.FAILS, binding, why, Math.max(1, margin));
    }

    /** Why this level is the test machine's limit, or null. */
    public static String machineLimit(LevelResult l, ModelSettings s) {
        if (l.injectorBehind(s.minInjectionRatio()))
            return String.format(Locale.ROOT, "the load generator reached only %.0f %% of the target arrival rate", 100 * l.injectionRatio());
        if (l.cpuMean() >= s.cpuSaturation())
            return String.format(Locale.ROOT, "the machine's CPU averaged %.0f %% over the level", 100 * l.cpuMean());
        Double pooler = l.cpuCores().get("pgbouncer");
        if (pooler != null && pooler > POOLER_CORE_LIMIT)
            return String.format(Locale.ROOT, "PgBouncer's single thread used %.2f of a core (limit %.1f)", pooler, POOLER_CORE_LIMIT);
        long capped = l.refusals().getOrDefault("instance_limit", 0L);
        if (capped > 0) return capped + " requests hit the emulator's own cap on function instances (raise --max-instances)";
        return null;
    }

    static double margin(LevelResult l, Tier tier, Route route, ModelSettings s) {
        double m = 0;
        if (route == Route.DIRECT) m = Math.max(m, l.serverConnections().max() / tier.usableConnections());
        m = Math.max(m, l.poolerClients().max() / tier.poolerMaxClientConn());
        // a p95 over few requests is mostly cold starts: it steers the ramp only on a level that counts
        if (l.requests().count() >= MIN_REQUESTS_TO_HOLD) m = Math.max(m, l.requests().p95Ms() / s.p95SloMs());
        if (l.webhookDelayP99Ms() != null) m = Math.max(m, l.webhookDelayP99Ms() / s.maxWebhookDelayMs());
        // not the machine's CPU: with time scaling the injector sends about the same rate at every
        // load, so CPU says nothing about how far the tier's limits are (the machine guard watches it)
        return m;
    }
}

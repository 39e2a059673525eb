package io.storecap.service;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the emulated runtime (Vercel functions + Prisma + Neon) treats connections beyond the pool
 * size: issue 13, "the runtime as it really behaves". Every default keeps the emulation as it was
 * before these settings existed; runtime presets set them per runtime. Durations are production
 * values, stretched by the service's {@link TimeScale}.
 *
 * @param dispatch           {@code --dispatch}: which warm instance with spare concurrency gets a
 *                           request. {@code mru} (default): the most recently used, so the fewest
 *                           instances stay alive (the optimistic reading of how a platform routes);
 *                           {@code lru}: the least recently used, spreading load so more instances
 *                           stay warm (and keep their connections); {@code random}: uniformly among
 *                           them, seeded by {@code --dispatch-seed} (default 1) so a run repeats.
 *                           Vercel does not document its routing; these bound it.
 * @param dispatchSeed       {@code --dispatch-seed}: the seed of {@code random} dispatch
 * @param zombieHoldMs       {@code --zombie-hold-ms} (default 0 = closed at once): when an instance
 *                           is reclaimed (idle TTL) or retired (deploy), its open connections stay
 *                           open on Postgres, holding backend slots counted by pg_stat_activity, for
 *                           this long, then close. A reclaimed microVM does not say goodbye: its
 *                           sockets were never closed, so the backend lingers until TCP keepalive,
 *                           idle_session_timeout or the proxy notices (Vercel, "The real serverless
 *                           compute to database connection problem, solved": suspension leaks pool
 *                           clients whose idle timers never fire).
 * @param pool               {@code --pool}: {@code prisma6} (default) = Prisma 6's engine pool
 *                           ({@link LazyPool}: {@code connection_limit}, pool_timeout, P2024);
 *                           {@code prisma7} = Prisma 7 with {@code @prisma/adapter-pg}, a node-postgres
 *                           Pool ({@link PgPool}): max 10 whatever {@code --connection-limit} says,
 *                           idleTimeoutMillis 10 s, connectionTimeoutMillis 0 (Prisma docs, "Connection
 *                           pool", v7 driver adapter defaults; node-postgres docs, pg.Pool)
 * @param attachDatabasePool {@code --attach-database-pool} (default off; needs {@code --pool=prisma7}):
 *                           Vercel's {@code attachDatabasePool(pool)} from {@code @vercel/functions}
 *                           listens to the pool's release events and, after each, keeps the instance
 *                           awake ({@code waitUntil}) for the pool's idle timeout + 100 ms, so the
 *                           pool's own idle timer can close idle connections before the instance is
 *                           suspended (vercel/vercel packages/functions/src/db-connections). Off, a pg
 *                           pool's idle timer only runs while a request keeps the instance awake, so
 *                           idle connections stay open through suspension until reclaim. Unlike
 *                           {@code --keep-alive=off}, which empties the pool the moment each response
 *                           is sent (every request connects anew), attach closes a connection only
 *                           after it has been idle for the idle timeout, so a busy instance reuses it
 * @param connectRtts        {@code --connect-rtts} (default 0): network round trips, each
 *                           {@code --db-latency-ms}, that opening a connection costs before the first
 *                           statement. Postgres over TCP with TLS and SCRAM takes about 7 (TCP 1,
 *                           SSLRequest 1, TLS 2, startup and SCRAM-SHA-256 3: Neon, "Quicker serverless
 *                           Postgres connections"); through Neon's proxy about 8
 * @param computeWakeMs      {@code --compute-wake-ms} (default 0): the first connection opened while the
 *                           service holds no database connection at all waits this much more, as a
 *                           Neon compute scaled to zero wakes ("a few hundred milliseconds": Neon docs,
 *                           "Connection latency and timeouts"). Neon suspends a compute after 5 minutes
 *                           without activity; the emulation treats "no connection held" as asleep at
 *                           once, so it wakes more often than Neon would when connections return
 *                           within 5 minutes (an upper bound on wakes)
 * @param deploysPerHour     {@code --deploys-per-hour} (default 0 = none): periodic deploys, each
 *                           retiring every instance at once (as {@code POST /internal/deploy} does):
 *                           the next requests cold start new instances while the old ones' connections
 *                           follow the zombie hold
 */
public record RuntimeSettings(Dispatch dispatch, int dispatchSeed, long zombieHoldMs, Pool pool,
                              boolean attachDatabasePool, int connectRtts, long computeWakeMs, double deploysPerHour) {

    static final Set<String> KEYS = Set.of("dispatch", "dispatch-seed", "zombie-hold-ms", "pool",
            "attach-database-pool", "connect-rtts", "compute-wake-ms", "deploys-per-hour");

    /** Which warm instance gets a request. */
    public enum Dispatch {
        MRU, LRU, RANDOM;

        public String id() { return name().toLowerCase(Locale.ROOT); }

        static Dispatch parse(String s) {
            for (Dispatch d : values()) if (d.id().equals(s)) return d;
            throw new IllegalArgumentException("--dispatch must be mru, lru or random, was '" + s + "'");
        }
    }

    /** Whose connection pool an instance runs. */
    public enum Pool {
        PRISMA6, PRISMA7;

        public String id() { return name().toLowerCase(Locale.ROOT); }

        static Pool parse(String s) {
            for (Pool p : values()) if (p.id().equals(s)) return p;
            throw new IllegalArgumentException("--pool must be prisma6 or prisma7, was '" + s + "'");
        }
    }

    /** Today's behaviour: every switch off. */
    public static final RuntimeSettings DEFAULTS = new RuntimeSettings(Dispatch.MRU, 1, 0, Pool.PRISMA6, false, 0, 0, 0);

    public RuntimeSettings {
        Objects.requireNonNull(dispatch, "--dispatch");
        Objects.requireNonNull(pool, "--pool");
        if (zombieHoldMs < 0 || zombieHoldMs > 3_600_000)
            throw new IllegalArgumentException("--zombie-hold-ms must be 0..3600000 (0 = connections close with their instance), was " + zombieHoldMs);
        if (attachDatabasePool && pool != Pool.PRISMA7)
            throw new IllegalArgumentException("--attach-database-pool=on needs --pool=prisma7: attachDatabasePool watches a pg Pool's"
                    + " release events, and Prisma 6's engine pool has none; set --pool=prisma7 or --attach-database-pool=off");
        if (connectRtts < 0 || connectRtts > 100)
            throw new IllegalArgumentException("--connect-rtts must be 0..100 (about 8 for Neon through its proxy), was " + connectRtts);
        if (computeWakeMs < 0 || computeWakeMs > 60_000)
            throw new IllegalArgumentException("--compute-wake-ms must be 0..60000 (a Neon wake takes a few hundred ms), was " + computeWakeMs);
        if (!(deploysPerHour >= 0) || deploysPerHour > 3600)
            throw new IllegalArgumentException("--deploys-per-hour must be 0..3600 (0 = no periodic deploys), was " + deploysPerHour);
    }

    /** From the parsed {@code --key=value} map of {@link ServiceConfig#parse}. */
    static RuntimeSettings parse(Map<String, String> v) {
        String dispatch = v.get("dispatch");
        String pool = v.get("pool");
        return new RuntimeSettings(
                dispatch == null || dispatch.isBlank() ? Dispatch.MRU : Dispatch.parse(dispatch.trim().toLowerCase(Locale.ROOT)),
                ServiceConfig.integer(v, "dispatch-seed", 1),
                ServiceConfig.integer(v, "zombie-hold-ms", 0),
                pool == null || pool.isBlank() ? Pool.PRISMA6 : Pool.parse(pool.trim().toLowerCase(Locale.ROOT)),
                ServiceConfig.onOff(v, "attach-database-pool", false),
                ServiceConfig.integer(v, "connect-rtts", 0),
                ServiceConfig.integer(v, "compute-wake-ms", 0),
                ServiceConfig.decimal(v, "deploys-per-hour", 0));
    }

    /** The pool size an instance's pool really has: Prisma 7's pg Pool ignores connection_limit. */
    int effectiveLimit(int connectionLimit) { return pool == Pool.PRISMA7 ? PgPool.MAX : connectionLimit; }

    /** For run.json: every setting, so a run records the runtime it emulated. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dispatch", dispatch.id());
        m.put("dispatchSeed", dispatchSeed);
        m.put("zombieHoldMs", zombieHoldMs);
        m.put("pool", pool.id());
        m.put("attachDatabasePool", attachDatabasePool ? "on" : "off");
        m.put("connectRtts", connectRtts);
        m.put("computeWakeMs", computeWakeMs);
        m.put("deploysPerHour", deploysPerHour);
        return m;
    }
}

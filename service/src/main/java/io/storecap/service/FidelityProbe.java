package io.storecap.service;

import com.sun.net.httpserver.HttpExchange;
import io.storecap.service.Http.HttpError;
import io.storecap.service.Http.Response;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * {@code POST /internal/fidelity?queries=N&sleep-ms=M} (admin token): one function invocation that
 * runs N queries {@code SELECT pg_sleep(M/1000)::text} at once through its instance's pool, as
 * {@code Promise.all} over N raw Prisma queries does. {@code ./storecap fidelity} drives it to compare
 * the emulated pool (connections opened, held, closed) with the real Prisma 7 client doing the same.
 * The sleep is real query time, not scaled by the time scale. Serverless mode only.
 */
final class FidelityProbe {
    private FidelityProbe() {}

    static Response handle(HttpExchange ex, String adminToken, InstancePool instances, ExecutorService fanOut) throws Exception {
        CartUpliftApi.requireAdmin(ex.getRequestHeaders().getFirst("X-Admin-Token"), adminToken);
        if (instances == null)
            throw new HttpError(409, "the fidelity probe runs inside a function instance, and --mode=server has none; use --mode=serverless");
        Map<String, String> q = Http.parseQuery(ex.getRequestURI().getRawQuery());
        int n = (int) number(q, "queries", 1, 1, 1000);
        long sleepMs = number(q, "sleep-ms", 200, 0, 60_000);
        String sql = String.format(Locale.ROOT, "SELECT pg_sleep(%.3f)::text", sleepMs / 1000.0);
        List<Db.Work<String>> works = Collections.nCopies(n, c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getString(1);
            }
        });
        long t0 = System.nanoTime();
        InstancePool.Instance inst = instances.acquire();
        try {
            new Db(inst.pool, fanOut).parallel(works);
        } finally {
            instances.release(inst);
        }
        return Response.json(200, Map.of("queries", n, "ms", (System.nanoTime() - t0) / 1_000_000,
                "instance", inst.id, "poolLimit", inst.pool.limit()));
    }

    private static long number(Map<String, String> q, String key, long dflt, long min, long max) {
        String s = q.get(key);
        if (s == null || s.isBlank()) return dflt;
        try {
            long v = Long.parseLong(s.trim());
            if (v < min || v > max) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new HttpError(400, key + " must be a whole number " + min + ".." + max + ", was '" + s + "'");
        }
    }
}

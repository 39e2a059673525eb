package io.storecap.service;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which warm instance gets a request (--dispatch), on the instance pool itself: no request here
 * touches the database, so the order is exact. Four instances are made busy at once, then freed;
 * sequential requests follow.
 */
class DispatchTest {
    static ServiceConfig config(String... extra) {
        List<String> args = new ArrayList<>(List.of("--jdbc-url=jdbc:postgresql://127.0.0.1:1/none", "--db-user=app",
                "--app-secret=secret-123", "--admin-token=token-123", "--cold-start-ms=0", "--idle-ttl-ms=600000"));
        args.addAll(List.of(extra));
        return ServiceConfig.parse(args.toArray(String[]::new), Map.of());
    }

    /** The ids of the instances that served {@code n} sequential requests after four were warmed at once. */
    static List<Long> served(int n, String... settings) throws Exception {
        try (InstancePool pool = new InstancePool(config(settings), new Properties(), new Metrics(), new TimeScale())) {
            List<InstancePool.Instance> warm = new ArrayList<>();
            for (int i = 0; i < 4; i++) warm.add(pool.acquire());
            warm.forEach(pool::release);
            assertEquals(4, pool.warm());
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                InstancePool.Instance inst = pool.acquire();
                ids.add(inst.id);
                pool.release(inst);
            }
            assertEquals(4, pool.warm(), "sequential requests start no instance");
            return ids;
        }
    }

    @Test
    void mruKeepsServingTheHottestInstance() throws Exception {
        assertEquals(List.of(4L, 4L, 4L, 4L, 4L, 4L), served(6));
        assertEquals(served(6), served(6, "--dispatch=mru"), "mru is the default");
    }

    @Test
    void lruCyclesThroughEveryWarmInstance() throws Exception {
        assertEquals(List.of(1L, 2L, 3L, 4L, 1L, 2L, 3L, 4L), served(8, "--dispatch=lru"));
    }

    @Test
    void randomRepeatsWithTheSameSeedAndNotWithAnother() throws Exception {
        List<Long> a = served(40, "--dispatch=random", "--dispatch-seed=7");
        assertEquals(a, served(40, "--dispatch=random", "--dispatch-seed=7"), "the same seed, the same choices");
        assertEquals(Set.of(1L, 2L, 3L, 4L), Set.copyOf(a), "every warm instance is chosen sometimes: " + a);
        assertNotEquals(a, served(40, "--dispatch=random", "--dispatch-seed=8"), "another seed, other choices");
        assertTrue(a.stream().distinct().count() > 1);
    }
}

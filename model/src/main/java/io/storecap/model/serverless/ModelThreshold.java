package io.storecap.model.serverless;

/**
 * The store count a tier holds under the serverless model, with its bootstrap interval: the largest
 * count whose 95 % peak connections over the window stay within the limit (and, with a pool, whose
 * p95 pool wait stays within the budget), found on the calibrated parameters and on every draw of
 * {@link ParameterBootstrap}. Beyond {@link ServerlessCalibration#MAX_STORES} a value is censored:
 * null, with {@code beyondSearch}.
 *
 * @param stores       at the calibrated parameters; null when beyond the search
 * @param low          2.5 % quantile over the draws (a draw beyond the search counts as the ceiling)
 * @param high         97.5 % quantile over the draws; null when beyond the search
 * @param beyondSearch true when the calibrated parameters hold more than the search's ceiling
 * @param draws        bootstrap draws behind the interval (0: a point alone)
 */
public record ModelThreshold(Integer stores, Integer low, Integer high, boolean beyondSearch, int draws) {

    /** The threshold on every draw; {@code limit} connections, {@code pool} PgBouncer's pool (0 direct). */
    public static ModelThreshold of(ParameterBootstrap b, int limit, int pool, double windowSeconds, double maxPoolWaitMs, int maxStores) {
        int point = search(b.point(), limit, pool, windowSeconds, maxPoolWaitMs, maxStores, 0);
        ParameterBootstrap.Estimate e = b.estimate(p -> search(p, limit, pool, windowSeconds, maxPoolWaitMs, maxStores, point));
        boolean beyond = point >= maxStores;
        Integer low = (int) Math.round(e.low());
        Integer high = e.high() >= maxStores ? null : (int) Math.round(e.high());
        return new ModelThreshold(beyond ? null : point, low >= maxStores ? null : low, beyond ? null : high, beyond, e.draws());
    }

    /** The largest fitting store count, searched from a hint (a nearby threshold) outwards when one is given. */
    static int search(ServerlessParameters p, int limit, int pool, double window, double maxWaitMs, int maxStores, int hint) {
        if (!ServerlessModel.fitsAt(p, 1, limit, window, pool, maxWaitMs)) return 0;
        int lo = 1, hi = maxStores;
        if (hint > 1 && hint < maxStores) {
            // bracket around the hint: thresholds of bootstrap draws lie near the point's
            int a = Math.max(1, hint / 2), z = Math.min(maxStores, hint * 2);
            while (a > 1 && !ServerlessModel.fitsAt(p, a, limit, window, pool, maxWaitMs)) a = Math.max(1, a / 2);
            while (z < maxStores && ServerlessModel.fitsAt(p, z, limit, window, pool, maxWaitMs)) z = Math.min(maxStores, z * 2);
            lo = a;
            hi = z;
        }
        if (ServerlessModel.fitsAt(p, hi, limit, window, pool, maxWaitMs)) return hi;
        while (hi - lo > 1) { // fits(lo), !fits(hi): connections grow with stores, so one crossing
            int mid = (lo + hi) >>> 1;
            if (ServerlessModel.fitsAt(p, mid, limit, window, pool, maxWaitMs)) lo = mid; else hi = mid;
        }
        return lo;
    }

    /** The interval in words: "12,345 (95 % 10,000-15,000)", "> 100,000 (beyond the range searched)". */
    public String text(int maxStores) {
        if (beyondSearch) return "> " + io.storecap.model.Numbers.stores((double) maxStores) + " (beyond the range searched)";
        String s = io.storecap.model.Numbers.stores((double) stores);
        if (draws == 0) return s;
        return s + " (95 % " + (low == null ? "?" : io.storecap.model.Numbers.stores((double) low)) + "-"
                + (high == null ? "> " + io.storecap.model.Numbers.stores((double) maxStores) : io.storecap.model.Numbers.stores((double) high)) + ")";
    }
}

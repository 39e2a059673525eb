package io.storecap.model;

/**
 * How one level was judged ({@link LevelJudge}), so a reader can see why the knee is where it is.
 *
 * @param stores          store count the level was labelled with
 * @param peakConnections highest sampled server connections of the app role
 * @param p95Ms           p95 latency of all requests (production-equivalent)
 * @param errorRate       failed / all requests
 * @param refusals        failures by refusal or pool timeout
 * @param injectionRatio  achieved / target arrival rate
 * @param cpuMean         mean machine CPU, 0..1
 * @param status          "holds", "insufficient" (too few requests to count), a binding id ("refusals",
 *                        "connections", "errors", "p95", ...: a tier limit bound here), "test-machine"
 *                        (the machine, not the tier, was the limit) or "not-used" (above a test-machine level)
 * @param load            the load it carried, in stores (label x achieved/target)
 * @param requests        requests measured
 * @param timeScale       the level's time scale
 * @param phase           the search step that ran it
 * @param why             the judgement in words, with its numbers
 */
public record LevelCheck(int stores, double peakConnections, double p95Ms, double errorRate, long refusals,
                         double injectionRatio, double cpuMean, String status, double load, long requests,
                         double timeScale, String phase, String why) {
    public LevelCheck(int stores, double peakConnections, double p95Ms, double errorRate, long refusals,
                      double injectionRatio, double cpuMean, String status) {
        this(stores, peakConnections, p95Ms, errorRate, refusals, injectionRatio, cpuMean, status, stores, 0, 1, "stair", null);
    }
}

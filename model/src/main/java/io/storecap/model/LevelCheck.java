package io.storecap.model;

/**
 * How one level of the stair was judged, so a reader can see why the threshold is where it is.
 *
 * @param stores          store count
 * @param peakConnections highest sampled server connections of the app role
 * @param p95Ms           p95 latency of all requests
 * @param errorRate       failed / all requests
 * @param refusals        failures by refusal or pool timeout
 * @param injectionRatio  achieved / target arrival rate
 * @param cpuMean         mean machine CPU, 0..1
 * @param status          "ok" (used in the fit), "refusals", "errors", "p95", "pooler-clients" (a tier
 *                        limit was broken here), "test-machine" (the machine, not the tier, was the
 *                        limit), or "not-used" (after a failing or test-machine level)
 */
public record LevelCheck(int stores, double peakConnections, double p95Ms, double errorRate, long refusals,
                         double injectionRatio, double cpuMean, String status) {
}

package io.storecap.model.serverless;

import io.storecap.model.InstanceObservation;
import io.storecap.model.LevelResult;
import io.storecap.model.Route;

import java.util.List;

/**
 * The serverless model's parameters read from what a run measured, not fitted (issue 14):
 * <ul>
 * <li>S: the instances' busy time per request (cold-start time taken out), weighted by requests;</li>
 * <li>C: the cold-start delay per cold start, the mean over levels that saw one (a per-start constant:
 * a level whose pool was built in its ramp reports the ramp's);</li>
 * <li>m: connections per warm instance, the instances' own backends (application_name storecap-fn)
 * over warm instances, so the workers' connections are not charged to instances;</li>
 * <li>floor: the app's other backends (webhook workers, cron), mean and most at once: the intercept;</li>
 * <li>r: the traffic profile's per-store rate (what the plan assumes), not the achieved one, which
 * Poisson noise and the injector move; the ratio achieved / profile is kept as a check;</li>
 * <li>h: connection-seconds per request by Little's law (active connections / arrival rate), for
 * PgBouncer's pool on the pooled route.</li>
 * </ul>
 * Every level must carry its {@link InstanceObservation}; {@link #canRead} says whether they do.
 */
public final class MeasuredParameters {
    private MeasuredParameters() {}

    /** Whether every level carries the instances' own measurements. */
    public static boolean canRead(List<LevelResult> levels) {
        return !levels.isEmpty() && levels.stream().allMatch(l -> l.observed() != null && l.observed().served() > 0);
    }

    /**
     * The parameters from levels with observations.
     *
     * @param profileRate the profile's requests per store per second; null to use the achieved rate
     *                    (least squares through the origin of achieved rate on stores)
     */
    public static ServerlessParameters read(List<LevelResult> levels, Double profileRate, double ttl, int connectionLimit,
                                            Route route, Dispatch dispatch, boolean capAtLimit) {
        if (!canRead(levels)) throw new IllegalArgumentException("every level needs the instances' own measurements (observed)");
        double busy = 0, served = 0, coldTime = 0, colds = 0, inst = 0, warm = 0, active = 0, rate = 0, floor = 0, floorPeak = 0;
        for (LevelResult l : levels) {
            InstanceObservation o = l.observed();
            busy += o.functionSeconds() * o.served();
            served += o.served();
            if (o.coldStartSeconds() > 0) {
                coldTime += o.coldStartSeconds();
                colds++;
            }
            inst += route == Route.POOLED && l.poolerClients().samples() > 0
                    ? Math.max(0, l.poolerClients().mean() - o.otherConnections().mean()) : o.instanceConnections().mean();
            warm += l.warmInstances().mean();
            active += l.serverActive().mean();
            rate += l.achievedRps();
            floor += o.otherConnections().mean();
            floorPeak = Math.max(floorPeak, o.otherConnections().max());
        }
        double r = profileRate != null && profileRate > 0 ? profileRate : achievedRate(levels);
        double s = Math.max(1e-6, busy / served);
        double m = warm > 0 ? Math.max(1e-9, inst / warm) : 1;
        if (capAtLimit) m = Math.min(connectionLimit, m);
        floor /= levels.size();
        return new ServerlessParameters(r, s, m, rate > 0 ? active / rate : 0, ttl, connectionLimit,
                colds > 0 ? coldTime / colds : 0, dispatch, floor, Math.max(floor, floorPeak));
    }

    /** Least squares through the origin of achieved rate against stores: r = sum(s lambda) / sum(s^2). */
    public static double achievedRate(List<LevelResult> levels) {
        double sxy = 0, sxx = 0;
        for (LevelResult l : levels) {
            sxy += l.stores() * l.achievedRps();
            sxx += (double) l.stores() * l.stores();
        }
        return sxy / sxx;
    }
}

package io.storecap.model.queue;

/**
 * The M/M/c queue: Poisson arrivals at rate lambda, c servers, exponential service with mean
 * {@code meanServiceSeconds} (mu = 1 / mean). Used for PgBouncer's server pool: c = pool size, a
 * "customer" is a transaction waiting for a server connection.
 * <p>
 * Offered load a = lambda / mu (Erlangs), utilisation rho = a / c. Erlang B by the stable recursion
 * B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)); Erlang C, the probability an arrival waits,
 * C(c, a) = B(c, a) / (1 - rho (1 - B(c, a))) (Kleinrock, Queueing Systems vol. 1, 1975, eq. 3.40;
 * the recursion avoids a^c / c! overflowing for pools of hundreds). Mean wait
 * Wq = C / (c mu - lambda); the wait is 0 with probability 1 - C and otherwise exponential with rate
 * c mu - lambda, so P(Wq &gt; t) = C e^{-(c mu - lambda) t} and the q-quantile is
 * max(0, ln(C / (1 - q)) / (c mu - lambda)).
 *
 * @param servers            c
 * @param arrivalRate        lambda, per second
 * @param meanServiceSeconds 1 / mu
 */
public record ErlangC(int servers, double arrivalRate, double meanServiceSeconds) {
    public ErlangC {
        if (servers < 1) throw new IllegalArgumentException("servers must be >= 1, was " + servers);
        if (!(arrivalRate >= 0)) throw new IllegalArgumentException("arrivalRate must be >= 0, was " + arrivalRate);
        if (!(meanServiceSeconds > 0)) throw new IllegalArgumentException("meanServiceSeconds must be > 0, was " + meanServiceSeconds);
    }

    /** An M/M/c queue given by its offered load in Erlangs (service time 1). */
    public static ErlangC ofLoad(int servers, double offeredErlangs) { return new ErlangC(servers, offeredErlangs, 1.0); }

    public double offeredLoad() { return arrivalRate * meanServiceSeconds; }

    public double utilisation() { return offeredLoad() / servers; }

    /** True when rho &lt; 1; otherwise the queue grows without bound and waits are infinite. */
    public boolean stable() { return utilisation() < 1; }

    /** Erlang B: the probability all c servers are busy in the loss system (M/M/c/c). */
    public double erlangB() {
        double a = offeredLoad(), b = 1;
        for (int k = 1; k <= servers; k++) b = a * b / (k + a * b);
        return b;
    }

    /** Erlang C: the probability an arrival has to wait; 1 when unstable. */
    public double probabilityOfWaiting() {
        if (!stable()) return 1;
        double b = erlangB();
        return b / (1 - utilisation() * (1 - b));
    }

    /** Mean time in queue, seconds; infinite when unstable. */
    public double meanWaitSeconds() {
        if (!stable()) return Double.POSITIVE_INFINITY;
        return probabilityOfWaiting() / drainRate();
    }

    /** P(wait &gt; t). */
    public double probabilityWaitExceeds(double seconds) {
        if (!stable()) return 1;
        return probabilityOfWaiting() * Math.exp(-drainRate() * seconds);
    }

    /** The q-quantile of the wait, seconds (0 when fewer than 1 - q of arrivals wait). */
    public double waitQuantileSeconds(double q) {
        if (!(q > 0 && q < 1)) throw new IllegalArgumentException("q must be in (0, 1), was " + q);
        if (!stable()) return Double.POSITIVE_INFINITY;
        return Math.max(0, Math.log(probabilityOfWaiting() / (1 - q)) / drainRate());
    }

    /** Mean response time: wait plus service. */
    public double meanResponseSeconds() { return meanWaitSeconds() + meanServiceSeconds; }

    /** The smallest pool with the q-quantile of the wait at most {@code maxWaitSeconds}. */
    public static int serversNeeded(double arrivalRate, double meanServiceSeconds, double q, double maxWaitSeconds) {
        int c = Math.max(1, (int) Math.floor(arrivalRate * meanServiceSeconds));
        while (true) {
            ErlangC e = new ErlangC(c, arrivalRate, meanServiceSeconds);
            if (e.stable() && e.waitQuantileSeconds(q) <= maxWaitSeconds) return c;
            c++;
        }
    }

    /** c mu - lambda: the rate at which a queue drains once all servers are busy. */
    private double drainRate() { return servers / meanServiceSeconds - arrivalRate; }
}

package io.storecap.model.checklist;

/**
 * What one configuration showed at one store count, as an alert rule would read it: the peak of the
 * app's Postgres connections, the error rate and the p95 observed, and whether the level held (every
 * constraint of the study's level judge) or failed; null when the level could not say.
 *
 * @param stores          the store count of the level
 * @param peakConnections the highest sample of the app's Postgres connections
 * @param errorRate       failed requests over requests
 * @param p95Ms           p95 response time of all requests, production-equivalent
 * @param holds           TRUE held, FALSE failed, null insufficient or the machine's limit
 */
public record Reading(int stores, double peakConnections, double errorRate, double p95Ms, Boolean holds) {
    public Reading {
        if (stores < 1) throw new IllegalArgumentException("a reading needs >= 1 store, was " + stores);
    }
}

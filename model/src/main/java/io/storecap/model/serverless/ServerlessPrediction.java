package io.storecap.model.serverless;

/**
 * The mechanistic model at one store count.
 *
 * @param stores             store count
 * @param arrivalRate        requests per second
 * @param busyInstances      mean instances running a request (lambda x S)
 * @param meanWarmInstances  mean instances alive
 * @param meanConnections    mean connections held (client connections on the pooled route)
 * @param peakConnectionsP95 95 % quantile of the peak connections over the window
 * @param windowSeconds      the window the peak is taken over
 * @param poolUtilisation    pooled route: offered load over pool size; null on the direct route
 * @param poolWaitP95Ms      pooled route: Erlang C 95th percentile wait for a server connection; null
 *                           on the direct route or when the pool is overloaded (utilisation &ge; 1)
 */
public record ServerlessPrediction(int stores, double arrivalRate, double busyInstances, double meanWarmInstances,
                                   double meanConnections, double peakConnectionsP95, double windowSeconds,
                                   Double poolUtilisation, Double poolWaitP95Ms) {
}

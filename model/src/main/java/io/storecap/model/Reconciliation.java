package io.storecap.model;

/**
 * Webhook bookkeeping of a run: what the simulated Shopify sent and was told, against what the
 * database holds. {@code lost} = acknowledged ids missing from the table; {@code duplicated} = ids
 * stored more than once (the dedupe key makes that impossible unless the dedupe is broken).
 */
public record Reconciliation(long sent, long acknowledged, long stored, long duplicated, long lost) {
    public static final Reconciliation NONE = new Reconciliation(0, 0, 0, 0, 0);
}

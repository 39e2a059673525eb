package io.storecap.simulations;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated Shopify's books: every webhook it sent (one id, however many delivery attempts)
 * and the ones the app acknowledged with a 200. Reconciled against the database after the run.
 */
public final class WebhookLedger {
    private final String prefix;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

    public WebhookLedger(String prefix) { this.prefix = prefix; }

    /** The ledger as the simulation wrote it to webhooks.json. */
    public static WebhookLedger restore(String prefix, long sent, long attempts, String[] acknowledged) {
        WebhookLedger l = new WebhookLedger(prefix);
        l.seq.set(sent);
        l.attempts.set(attempts);
        l.acknowledged.addAll(java.util.List.of(acknowledged));
        return l;
    }

    /** A new webhook id, unique in this run and recognisable by its prefix. */
    public String next() { return prefix + "-" + seq.incrementAndGet(); }

    public void attempt() { attempts.incrementAndGet(); }

    public void ack(String id) { acknowledged.add(id); }

    public String prefix() { return prefix; }

    public long sent() { return seq.get(); }

    public long attempts() { return attempts.get(); }

    public Set<String> acknowledged() { return Set.copyOf(acknowledged); }
}

package io.storecap.simulations;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated Shopify's books: every event it sent (one event id, delivered under one webhook id,
 * or two when Shopify delivers it again under a new one; however many attempts each) and the events
 * the app acknowledged with a 200. Reconciled against the database after the run, by event id.
 * Deliveries still being retried when the run stopped are counted, so a reconciliation that is not
 * complete says so.
 */
public final class WebhookLedger {
    /** One event: its number (the payload's id), its X-Shopify-Event-Id and its first X-Shopify-Webhook-Id. */
    public record Event(long seq, String eventId, String webhookId) {}

    private final String prefix;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong redelivered = new AtomicLong();
    private final AtomicLong exhausted = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();
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

    /** A new event: ids unique in this run; webhook ids recognisable by the prefix ({@code prefix-N}). */
    public Event nextEvent() {
        long n = seq.incrementAndGet();
        deliveries.incrementAndGet();
        return new Event(n, eventId(n), prefix + "-" + n);
    }

    /** A new webhook id for an event delivered again (same event id): {@code prefix-N-2}. */
    public String redelivery(String firstWebhookId) {
        deliveries.incrementAndGet();
        redelivered.incrementAndGet();
        return firstWebhookId + "-2";
    }

    /** The event id of event number n. */
    public String eventId(long n) { return prefix + "-e" + n; }

    public void attempt() { attempts.incrementAndGet(); }

    /** The app answered 200 to a delivery of this event. */
    public void ack(String eventId) { acknowledged.add(eventId); }

    /** A delivery (one webhook id) ended: acknowledged, or every attempt failed (Shopify gives up). */
    public void deliveryEnded(boolean acked) {
        if (!acked) exhausted.incrementAndGet();
        ended.incrementAndGet();
    }

    public String prefix() { return prefix; }

    /** Events sent. */
    public long sent() { return seq.get(); }

    public long attempts() { return attempts.get(); }

    /** Event ids the app acknowledged at least once. */
    public Set<String> acknowledged() { return Set.copyOf(acknowledged); }

    /** Deliveries whose every attempt failed: Shopify gave up on that webhook id. */
    public long exhausted() { return exhausted.get(); }

    /** Deliveries still being retried now (at the end of a run: cut off by a stop, so not reconciled). */
    public long inFlight() { return deliveries.get() - ended.get(); }

    /** What webhooks.json carries besides the acknowledged ids. */
    public Map<String, Object> counts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prefix", prefix);
        m.put("sent", sent());
        m.put("deliveries", deliveries.get());
        m.put("redelivered", redelivered.get());
        m.put("attempts", attempts());
        m.put("exhausted", exhausted());
        m.put("inFlightAtEnd", inFlight());
        return m;
    }
}

package io.storecap.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Measured;
import io.storecap.model.MeasuredKind;
import io.storecap.model.capacity.ClaimResult;

/**
 * A claim's measured capacity as the interval of stores two studies are compared on
 * ({@link ClaimChange}): a knee's 95 % interval [low, high]; a lower bound (kind lower-bound or
 * machine-limited) as [bound, unbounded); a knee that only failed as [0, lowest failing load]. An
 * end that is not known is taken as open (0 below, unbounded above), so a missing number can widen
 * an interval but never make one look lower than it is.
 *
 * @param id        the claim id
 * @param tier      the tier id it was measured on (null when the summary does not say)
 * @param route     direct or pooled (null when the summary does not say)
 * @param kind      knee, lower-bound, machine-limited or none
 * @param threshold the knee or the bound, in stores; null when not determined
 * @param low       the interval's lower end as measured; null when not known
 * @param high      the interval's upper end as measured; null for a bound or when not known
 * @param binding   the binding constraint's id, or why nothing bound
 * @param saturated machine-limited: what saturated, in words; else null
 */
public record ClaimInterval(String id, String tier, String route, MeasuredKind kind, Double threshold, Double low, Double high,
                            String binding, String saturated) {

    public ClaimInterval {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("a claim interval needs the claim's id");
        threshold = finite(threshold);
        low = finite(low);
        high = finite(high);
        if (kind == null) kind = threshold == null && low == null && high == null ? MeasuredKind.NONE : MeasuredKind.KNEE;
    }

    /** The interval of a claim this study measured. */
    public static ClaimInterval of(ClaimResult c) {
        Measured m = c.measured();
        if (m == null) return new ClaimInterval(c.id(), c.tier(), c.route().id(), MeasuredKind.NONE, null, null, null, "no-run", null);
        return new ClaimInterval(c.id(), c.tier(), c.route().id(), m.kind(), m.threshold(), m.low(), m.high(),
                m.binding() == null ? null : m.binding().id(), m.saturated());
    }

    /**
     * The interval of a {@code claims[]} entry of a summary.json. A summary written before
     * {@code measured.kind} existed is read by its {@code lowerBound} flag.
     */
    public static ClaimInterval fromSummary(JsonNode claim) {
        JsonNode m = claim.path("measured");
        MeasuredKind kind = null;
        String k = m.path("kind").asText("");
        for (MeasuredKind x : MeasuredKind.values()) if (x.id().equals(k)) kind = x;
        Double threshold = num(m.path("threshold")), low = num(m.path("low")), high = num(m.path("high"));
        if (kind == null && m.path("lowerBound").asBoolean(false)) kind = MeasuredKind.LOWER_BOUND;
        return new ClaimInterval(claim.path("id").asText(), text(claim.path("tier")), text(claim.path("route")), kind,
                threshold, low, high, text(m.path("binding")), text(m.path("saturated")));
    }

    /** The lower end compared on: the bound of a lower bound, a knee's low end, 0 when not known. */
    public double lo() {
        if (kind.lowerBoundOnly()) return low != null ? low : threshold != null ? threshold : 0;
        return low != null ? low : 0;
    }

    /** The upper end compared on: unbounded for a lower bound or when not known. */
    public double hi() {
        if (kind.lowerBoundOnly() || high == null) return Double.POSITIVE_INFINITY;
        return high;
    }

    /** Whether there is an interval to compare: something measured, and not open at both ends. */
    public boolean measured() {
        return kind != MeasuredKind.NONE && (lo() > 0 || hi() < Double.POSITIVE_INFINITY);
    }

    /** "612 (548–671)", "< 300", "≥ 2,230", "≥ 2,230 (machine-limited)" or "not measured". */
    public String text() {
        if (!measured()) return "not measured" + (binding == null ? "" : " (" + binding + ")");
        if (kind.lowerBoundOnly())
            return "≥ " + Fmt.stores(lo()) + (kind == MeasuredKind.MACHINE_LIMITED ? " (machine-limited)" : "");
        if (threshold == null) return high != null && lo() <= 0 ? "< " + Fmt.stores(high) : Fmt.stores(lo()) + "–" + ends();
        return Fmt.stores(threshold) + " (" + Fmt.stores(lo()) + "–" + ends() + ")";
    }

    private String ends() { return high == null ? "?" : Fmt.stores(high); }

    private static Double finite(Double v) { return v == null || !Double.isFinite(v) ? null : v; }

    private static Double num(JsonNode n) { return n.isNumber() ? n.asDouble() : null; }

    private static String text(JsonNode n) { return n.isValueNode() && !n.isNull() ? n.asText() : null; }
}

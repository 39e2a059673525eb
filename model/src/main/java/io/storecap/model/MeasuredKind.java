package io.storecap.model;

/**
 * What kind of number a measurement is, which decides which verdicts it can support.
 * <ul>
 *   <li>{@link #KNEE}: the load was raised until a constraint bound, the bracket was narrowed and
 *       replicated; the number is the knee with an interval from the replicates.</li>
 *   <li>{@link #LOWER_BOUND}: nothing bound up to the highest load searched; capacity is at least
 *       that much, nothing more is known.</li>
 *   <li>{@link #MACHINE_LIMITED}: the test machine saturated (injector, CPU, PgBouncer's one thread)
 *       before any tier limit bound; a lower bound, and the saturated resource is named.</li>
 *   <li>{@link #NONE}: no level carried enough requests to say anything.</li>
 * </ul>
 */
public enum MeasuredKind {
    KNEE("knee"), LOWER_BOUND("lower-bound"), MACHINE_LIMITED("machine-limited"), NONE("none");

    private final String id;

    MeasuredKind(String id) { this.id = id; }

    /** The id used in summary.json ({@code measured.kind}). */
    @com.fasterxml.jackson.annotation.JsonValue
    public String id() { return id; }

    /** True for the kinds that only bound capacity from below. */
    public boolean lowerBoundOnly() { return this == LOWER_BOUND || this == MACHINE_LIMITED; }
}

package io.storecap.runner;

/**
 * Something that goes wrong during a run, on purpose: injected at a point of the stair, recovered
 * from after a while. The orchestrator records its window in the run (notes and faults.json).
 */
public interface Fault {
    String id();

    /** One line for the report: what happens to what. */
    String description();

    /** When it starts, as a fraction of the stair's duration (0..1). */
    double at();

    /** How long the fault lasts before {@link #recover}; 0 for an instant fault. */
    long durationMs();

    /** Puts the fault in place; returns when it is. */
    void inject(RunHarness harness) throws Exception;

    /** Undoes it (restarts what was killed); nothing for instant faults. */
    default void recover(RunHarness harness) throws Exception {}

    /** What the fault itself observed (e.g. the storm's status codes), for the fault table; may be empty. */
    default String observed() { return ""; }
}

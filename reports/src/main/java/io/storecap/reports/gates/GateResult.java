package io.storecap.reports.gates;

import java.util.Objects;

/**
 * The outcome of one gate.
 *
 * @param name    "gate 2 (claim free-pooled threshold >= 500)"; the JUnit test case name
 * @param outcome passed, failed, or not comparable (a baseline claim measured in one study only)
 * @param message the name, then what was measured and by how much it missed or passed
 */
public record GateResult(String name, Outcome outcome, String message) {

    /**
     * Passed and failed as usual; not comparable is neither, so it is never counted as a pass that
     * hides it: it is printed as such, written to JUnit XML as skipped with its reason, and leaves
     * the exit code alone (only a regression fails).
     */
    public enum Outcome { PASSED, FAILED, NOT_COMPARABLE }

    public GateResult {
        Objects.requireNonNull(outcome, "outcome");
    }

    public static GateResult pass(String name, String detail) { return new GateResult(name, Outcome.PASSED, name + ": " + detail); }

    public static GateResult fail(String name, String detail) { return new GateResult(name, Outcome.FAILED, name + ": " + detail); }

    public static GateResult notComparable(String name, String detail) {
        return new GateResult(name, Outcome.NOT_COMPARABLE, name + ": " + detail);
    }

    public boolean passed() { return outcome == Outcome.PASSED; }

    public boolean failed() { return outcome == Outcome.FAILED; }

    /** "PASS", "FAIL" or "NOT COMPARABLE": how the command line starts the result's line. */
    public String word() {
        return switch (outcome) {
            case PASSED -> "PASS";
            case FAILED -> "FAIL";
            case NOT_COMPARABLE -> "NOT COMPARABLE";
        };
    }
}

package io.storecap.reports.gates;

/**
 * The outcome of one gate.
 *
 * @param name    "gate 2 (claim free-pooled threshold >= 500)"; the JUnit test case name
 * @param passed  whether the limit held
 * @param message the name, then what was measured and by how much it missed or passed
 */
public record GateResult(String name, boolean passed, String message) {
    public static GateResult pass(String name, String detail) { return new GateResult(name, true, name + ": " + detail); }

    public static GateResult fail(String name, String detail) { return new GateResult(name, false, name + ": " + detail); }
}

package io.storecap.reports.gates;

/**
 * Bad input to the gate check (a gates file, a summary or a command line that cannot be used):
 * the message names the file, the gate and the field, and says how to fix it. Exit code 2.
 */
public class GatesException extends RuntimeException {
    public GatesException(String message) { super(message); }

    public GatesException(String message, Throwable cause) { super(message, cause); }
}

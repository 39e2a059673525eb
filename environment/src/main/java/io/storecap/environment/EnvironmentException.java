package io.storecap.environment;

/** Something the environment needs is missing or broken; the message says what and how to fix it. */
public class EnvironmentException extends RuntimeException {
    public EnvironmentException(String message) { super(message); }

    public EnvironmentException(String message, Throwable cause) { super(message, cause); }
}

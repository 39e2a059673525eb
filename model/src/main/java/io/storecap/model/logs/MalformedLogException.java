package io.storecap.model.logs;

/**
 * Log files that cannot be used as they are: one line per file, each with how many of its lines are
 * bad, the first bad one (line number, why, what it holds) and what a good line looks like.
 * Nothing is written when this is thrown.
 */
public final class MalformedLogException extends IllegalArgumentException {
    public MalformedLogException(String message) { super(message); }
}

package io.storecap.model;

/**
 * A claims or tiers file that cannot be used. The message always names the file, the entry and the
 * field, and says how to fix it, because the person reading it is editing YAML by hand.
 */
public final class ConfigException extends IllegalArgumentException {
    private final String source;

    public ConfigException(String source, String message) {
        super(source + ": " + message);
        this.source = source;
    }

    public ConfigException(String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.source = source;
    }

    /** The file (or other source name) the error is in. */
    public String source() { return source; }
}

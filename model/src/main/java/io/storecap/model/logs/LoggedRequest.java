package io.storecap.model.logs;

/**
 * One request as a log recorded it: when (epoch ms), the method, the target (path and query string,
 * as logged) and the status. {@code shop} is the store when the log has a column for it (the
 * requests CSV), else null and the rules read it from the query string.
 */
public record LoggedRequest(long atMs, String method, String target, int status, String shop) {
    /** The path without its query string. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The query string without '?', or "" when there is none. */
    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }
}

package io.storecap.model.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Json;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Vercel's log drain as NDJSON: one JSON object a line. A line with a {@code proxy} object belongs to a
 * request ({@code proxy.timestamp}, {@code method}, {@code path} with its query string,
 * {@code statusCode}); a line without one is build or platform output and is skipped. One request can
 * log several lines (each console line of a function carries the same {@code requestId} and
 * {@code proxy}), so a request id is counted once: ids are remembered for
 * {@link #DEDUPE_WINDOW_MS} of log time, longer than a function runs.
 */
final class VercelLog implements LogReader.LineParser<LoggedRequest> {
    /** Longer than Vercel's longest function duration (800 s on Pro), so a request's later lines still find its id. */
    static final long DEDUPE_WINDOW_MS = 15 * 60_000L;
    private static final Pattern METHOD = Pattern.compile("[A-Za-z]{3,10}");

    private final Map<String, Long> recentIds = new LinkedHashMap<>();
    private long latest = Long.MIN_VALUE;

    @Override
    public LoggedRequest parse(String line) throws LogReader.BadLine {
        JsonNode n;
        try {
            n = Json.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new LogReader.BadLine("not JSON (" + e.getOriginalMessage() + ")");
        }
        if (n == null || !n.isObject()) throw new LogReader.BadLine("not a JSON object");
        EpochMs.ofJson(n.get("timestamp"), "timestamp");
        JsonNode proxy = n.get("proxy");
        if (proxy == null || proxy.isNull()) return null;
        if (!proxy.isObject()) throw new LogReader.BadLine("proxy must be an object, was '" + proxy.asText() + "'");
        long at = EpochMs.ofJson(proxy.get("timestamp"), "proxy.timestamp");
        String method = text(proxy, "method");
        if (!METHOD.matcher(method).matches()) throw new LogReader.BadLine("proxy.method '" + method + "' is not an HTTP method");
        String path = text(proxy, "path");
        if (!path.startsWith("/")) throw new LogReader.BadLine("proxy.path '" + path + "' must start with '/'");
        JsonNode sc = proxy.get("statusCode");
        if (sc == null || sc.isNull()) throw new LogReader.BadLine("proxy.statusCode is missing");
        if (!sc.isIntegralNumber()) throw new LogReader.BadLine("proxy.statusCode must be a whole number, was '" + sc.asText() + "'");
        int status = sc.asInt();
        // -1: Vercel revalidated in the background (no response of its own); otherwise an HTTP status
        if (status != -1 && (status < 100 || status > 599))
            throw new LogReader.BadLine("proxy.statusCode " + status + " is not an HTTP status (100-599, or -1 for a background revalidation)");
        JsonNode id = n.get("requestId");
        if (id != null && id.isTextual() && !id.asText().isBlank() && seenBefore(id.asText(), at)) return null;
        return new LoggedRequest(at, method.toUpperCase(java.util.Locale.ROOT), path, status, null);
    }

    private boolean seenBefore(String id, long at) {
        latest = Math.max(latest, at);
        for (Iterator<Long> it = recentIds.values().iterator(); it.hasNext(); ) {
            if (it.next() >= latest - DEDUPE_WINDOW_MS) break;
            it.remove();
        }
        return recentIds.putIfAbsent(id, at) != null;
    }

    private static String text(JsonNode proxy, String field) throws LogReader.BadLine {
        JsonNode v = proxy.get(field);
        if (v == null || v.isNull()) throw new LogReader.BadLine("proxy." + field + " is missing");
        if (!v.isTextual() || v.asText().isBlank()) throw new LogReader.BadLine("proxy." + field + " must be text, was '" + v.asText() + "'");
        return v.asText().strip();
    }
}

package io.storecap.service;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small request/response types over the JDK HTTP server, so handlers stay plain functions. */
final class Http {
    private Http() {}

    record Request(String method, String path, Map<String, String> query, HttpExchange exchange, byte[] body) {
        String header(String name) { return exchange.getRequestHeaders().getFirst(name); }

        String param(String name) { return query.get(name); }

        String requireParam(String name) {
            String v = query.get(name);
            if (v == null || v.isBlank()) throw new HttpError(400, "missing query parameter '" + name + "'");
            return v;
        }

        int intParam(String name, int dflt, int min, int max) {
            String v = query.get(name);
            if (v == null || v.isBlank()) return dflt;
            try {
                long n = Long.parseLong(v.trim());
                return (int) Math.max(min, Math.min(max, n));
            } catch (NumberFormatException e) {
                throw new HttpError(400, "query parameter '" + name + "' must be a whole number");
            }
        }
    }

    record Response(int status, String contentType, byte[] body) {
        static Response json(int status, Object value) {
            try {
                return new Response(status, "application/json", ReferenceService.JSON.writeValueAsBytes(value));
            } catch (IOException e) {
                throw new IllegalStateException("cannot write JSON", e);
            }
        }

        static Response text(int status, String contentType, String text) {
            return new Response(status, contentType, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** An answer that is not a success; its message is safe to show the caller. */
    static final class HttpError extends RuntimeException {
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    static Map<String, String> parseQuery(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return q;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                q.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, "malformed query string");
            }
        }
        return q;
    }

    /** Reads at most {@code limit} bytes; more is a 413 without buffering the rest. */
    static byte[] readBody(InputStream in, int limit) throws IOException {
        byte[] data = in.readNBytes(limit + 1);
        if (data.length > limit) throw new HttpError(413, "request body larger than " + limit + " bytes");
        return data;
    }
}

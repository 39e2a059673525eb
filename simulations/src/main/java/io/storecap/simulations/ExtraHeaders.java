package io.storecap.simulations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.storecap.model.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Headers a study against a deployment sends with every request ({@code --header}, e.g. Vercel's
 * {@code x-vercel-protection-bypass} for a protected preview), handed to the simulation as one system
 * property holding a JSON object. The runner checks them ({@code ExternalTarget}); this only carries them.
 */
public final class ExtraHeaders {
    private ExtraHeaders() {}

    /** The system property that holds them. */
    public static final String PROPERTY = "storecap.headers";

    public static String encode(Map<String, String> headers) {
        try {
            return Json.JSON.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the headers: " + e.getMessage(), e);
        }
    }

    /** The headers in {@code value} (null or blank: none), in the order given. */
    public static Map<String, String> decode(String value) {
        if (value == null || value.isBlank()) return Map.of();
        try {
            return Json.JSON.readValue(value, new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be a JSON object of header names to values, e.g."
                    + " {\"x-vercel-protection-bypass\":\"...\"}; was not (" + e.getOriginalMessage() + ")");
        }
    }
}

package io.storecap.simulations;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The --header map crosses into the simulation as one property, whole and in order. */
class ExtraHeadersTest {
    @Test
    void aRoundTripKeepsNamesValuesAndOrder() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-vercel-protection-bypass", "a\"b:c");
        h.put("x-team", "ünï");
        Map<String, String> back = ExtraHeaders.decode(ExtraHeaders.encode(h));
        assertEquals(h, back);
        assertEquals(List.copyOf(h.keySet()), List.copyOf(back.keySet()));
        assertEquals(Map.of(), ExtraHeaders.decode(null));
        assertEquals(Map.of(), ExtraHeaders.decode(" "));
    }

    @Test
    void aMalformedPropertyNamesItselfAndTheShapeItWants() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExtraHeaders.decode("x-a: 1"));
        assertTrue(e.getMessage().contains("-Dstorecap.headers must be a JSON object"), e.getMessage());
    }
}

package io.storecap.reports;

import com.fasterxml.jackson.databind.JsonNode;

/** JSON a reader can parse: NaN and infinities become null (the rule of summary.json, for every JSON storecap prints). */
final class SummaryJsonNumbers {
    private SummaryJsonNumbers() {}

    static JsonNode clean(JsonNode n) {
        SummaryJson.sanitize(n);
        return n;
    }
}

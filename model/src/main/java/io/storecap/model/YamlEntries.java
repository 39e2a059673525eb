package io.storecap.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the hand-written YAML config files field by field, so that every error names the file, the
 * entry and the field and says what to write instead. (Jackson's own binding errors name Java types,
 * which a founder editing claims.yaml cannot act on.)
 */
final class YamlEntries {
    private YamlEntries() {}

    /**
     * The sequence under {@code key} at the top of the document; every element is one entry. The
     * document is checked against {@code schema} first (see {@link ConfigSchema}).
     */
    static List<JsonNode> topLevelList(String yaml, String source, String key, String example, ConfigSchema schema) {
        if (yaml == null || yaml.isBlank())
            throw new ConfigException(source, "the file is empty; it must start with '" + key + ":' followed by a list, e.g.\n" + example);
        JsonNode root;
        try {
            root = Json.YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException(source, "is not valid YAML" + where + " (" + e.getOriginalMessage()
                    + "); check the indentation and quoting there", e);
        }
        if (root != null && !root.isMissingNode()) schema.validate(root, source);
        if (root == null || !root.isObject() || !root.has(key))
            throw new ConfigException(source, "must start with '" + key + ":' followed by a list, e.g.\n" + example);
        Set<String> extra = new LinkedHashSet<>();
        root.fieldNames().forEachRemaining(f -> { if (!f.equals(key)) extra.add(f); });
        if (!extra.isEmpty())
            throw new ConfigException(source, "unknown top-level key(s) " + extra + "; the only key is '" + key + "'");
        JsonNode list = root.get(key);
        if (!list.isArray())
            throw new ConfigException(source, "'" + key + "' must be a list of entries, each starting with '- id:'");
        List<JsonNode> out = new ArrayList<>();
        list.forEach(out::add);
        return out;
    }

    /** One entry (a claim or a tier) and how to name it in messages. */
    static final class Entry {
        final String source;
        final String kind;
        final JsonNode node;
        final String label;

        Entry(String source, String kind, int index, JsonNode node) {
            this.source = source;
            this.kind = kind;
            this.node = node;
            if (!node.isObject())
                throw new ConfigException(source, kind + " #" + (index + 1) + " must be a mapping of fields (id: ..., ...), was: " + node);
            JsonNode id = node.get("id");
            this.label = id != null && id.isTextual() && !id.asText().isBlank()
                    ? kind + " '" + id.asText() + "'" : kind + " #" + (index + 1);
        }

        ConfigException error(String field, String problem) {
            return new ConfigException(source, label + ": " + (field == null ? "" : field + " ") + problem);
        }

        void allowOnly(String... fields) {
            Set<String> allowed = Set.of(fields);
            Iterator<String> it = node.fieldNames();
            while (it.hasNext()) {
                String f = it.next();
                if (!allowed.contains(f))
                    throw error(null, "unknown field '" + f + "'; allowed fields are " + String.join(", ", fields)
                            + " (check the spelling)");
            }
        }

        String requiredText(String field) {
            String s = optionalText(field);
            if (s == null) throw error(field, "is missing; add '" + field + ": ...'");
            return s;
        }

        String optionalText(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) return null;
            if (!v.isValueNode() || v.asText().isBlank())
                throw error(field, "must be a plain text value, was " + v);
            return v.asText().trim();
        }

        Integer optionalInt(String field, JsonNode in, String path) {
            JsonNode v = in.get(field);
            if (v == null || v.isNull()) return null;
            if (v.isIntegralNumber() && v.canConvertToInt()) return v.intValue();
            if (v.isTextual()) {
                try { return Integer.parseInt(v.asText().trim()); } catch (NumberFormatException ignored) { /* below */ }
            }
            throw error(path, "'" + v.asText() + "' is not a whole number; write digits only, e.g. " + path.replaceAll(".*\\.", "") + ": 100");
        }

        int requiredInt(String field) {
            Integer v = optionalInt(field, node, field);
            if (v == null) throw error(field, "is missing; add '" + field + ": <whole number>'");
            return v;
        }

        Double optionalDouble(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) return null;
            if (v.isNumber()) return v.doubleValue();
            if (v.isTextual()) {
                try { return Double.parseDouble(v.asText().trim()); } catch (NumberFormatException ignored) { /* below */ }
            }
            throw error(field, "'" + v.asText() + "' is not a number; write e.g. " + field + ": 19");
        }
    }
}

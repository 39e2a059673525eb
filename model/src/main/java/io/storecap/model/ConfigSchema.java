package io.storecap.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.NodePath;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON Schema of one config file (config/schema/NAME.schema.json, draft 2020-12, on the classpath
 * under io/storecap/model/schema), and the check of a parsed YAML tree against it with messages in
 * the parsers' words: {@code <file>: <where>: <what is wrong>; <how to fix>}, one line per problem.
 * Each parser calls {@link #validate} on the tree first and then makes its own checks of what a
 * schema cannot say (cross-field rules, references to other files).
 * <p>
 * Where an error's wording needs more than the keyword, the failing subschema carries it in
 * {@code "x-messages": {"<keyword>": "..."}} (an annotation editors ignore). What the text is,
 * per keyword:
 * <ul>
 *   <li>type: what the value must be ({@code claimed must be <text>, was '~400'});</li>
 *   <li>pattern, enum, const: what is wrong with the value ({@code id 'Free Direct' <text>});</li>
 *   <li>minimum, maximum, exclusiveMinimum, exclusiveMaximum: the rule ({@code reserved is 0; <text>});</li>
 *   <li>required: the fix ({@code claimed.min is missing; <text>}), or an object of one fix per field;</li>
 *   <li>additionalProperties: the fix after {@code unknown field 'x'};</li>
 *   <li>minItems, minProperties: the fix after {@code is empty};</li>
 *   <li>anyOf, oneOf: the whole complaint about the object, replacing its branches' errors.</li>
 * </ul>
 */
public final class ConfigSchema {
    /** claims.yaml: entries named {@code claim 'id'} (or {@code claim #n}). */
    public static final ConfigSchema CLAIMS = new ConfigSchema("claims", "claims", "claim", true, false);
    /** tiers.yaml: entries named {@code tier 'id'}. */
    public static final ConfigSchema TIERS = new ConfigSchema("tiers", "tiers", "tier", true, false);
    /** The traffic profile (profile.yaml): fields named by their dotted path. */
    public static final ConfigSchema PROFILE = new ConfigSchema("profile", null, null, false, false);
    /** study.yaml: fields named by their dotted path. */
    public static final ConfigSchema STUDY = new ConfigSchema("study", null, null, false, false);
    /** runtimes.yaml: entries named {@code runtime 'id'}. */
    public static final ConfigSchema RUNTIMES = new ConfigSchema("runtimes", "runtimes", "runtime", true, false);
    /** checklist.yaml: entries named {@code step 'id'}. */
    public static final ConfigSchema CHECKLIST = new ConfigSchema("checklist", "steps", "step", true, false);
    /** A gates file: entries named {@code gate n}, fields {@code field 'max'}. */
    public static final ConfigSchema GATES = new ConfigSchema("gates", "gates", "gate", false, true);
    /** log-rules.yaml (profile from-logs): entries named {@code rule n}. */
    public static final ConfigSchema LOG_RULES = new ConfigSchema("log-rules", "rules", "rule", false, false);
    /** routes.yaml (the route map of a deployment): entries named {@code kind 'cart-event'} by their kind. */
    public static final ConfigSchema ROUTES = new ConfigSchema("routes", "routes", "kind", true, false, "kind");

    /** The annotation that carries storecap's wording of an error (see the class comment). */
    public static final String MESSAGES = "x-messages";
    /** Where the schemas are on the classpath (copied from config/schema by the model module's build). */
    public static final String RESOURCE_DIR = "io/storecap/model/schema/";
    private static final int MAX_LINES = 10;

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDialect(
            Dialect.builder(Dialects.getDraft202012()).keyword(new AnnotationKeyword(MESSAGES)).build());

    private final String name;
    private final String entriesKey;
    private final String entryKind;
    private final boolean entriesById;
    private final boolean quotedFields;
    private final String labelField;
    private volatile Loaded loaded;

    private record Loaded(JsonNode node, Schema schema) {}

    private ConfigSchema(String name, String entriesKey, String entryKind, boolean entriesById, boolean quotedFields) {
        this(name, entriesKey, entryKind, entriesById, quotedFields, "id");
    }

    /** {@code labelField}: the entry's field that names it in messages ("id", or "kind" for routes). */
    private ConfigSchema(String name, String entriesKey, String entryKind, boolean entriesById, boolean quotedFields, String labelField) {
        this.labelField = labelField;
        this.name = name;
        this.entriesKey = entriesKey;
        this.entryKind = entryKind;
        this.entriesById = entriesById;
        this.quotedFields = quotedFields;
    }

    /** All of them, for tests and tools. */
    public static List<ConfigSchema> all() { return List.of(CLAIMS, TIERS, PROFILE, STUDY, GATES, RUNTIMES, LOG_RULES, ROUTES, CHECKLIST); }

    /** The schema's name: claims, tiers, profile, study, gates, runtimes or log-rules. */
    public String name() { return name; }

    /** The schema's file name, e.g. claims.schema.json (the same in config/schema and on the classpath). */
    public String fileName() { return name + ".schema.json"; }

    /** The schema document itself. */
    public JsonNode schemaNode() { return load().node(); }

    /**
     * A config file's text read as YAML and checked against this schema: the one prologue every
     * loader shares. Invalid YAML names the line and column; an empty document says what it needs
     * ({@code needs}, e.g. "'routes:' followed by one route per kind (see config/routes.yaml)").
     */
    public JsonNode read(String yaml, String source, String needs) {
        JsonNode root;
        try {
            root = Json.YAML.readTree(yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException(source, "is not valid YAML" + where + " (" + e.getOriginalMessage()
                    + "); check the indentation and quoting there", e);
        }
        if (root == null || root.isMissingNode() || root.isNull())
            throw new ConfigException(source, "the file is empty; it needs " + needs);
        validate(root, source);
        return root;
    }

    /**
     * Checks a parsed config file; {@code source} names the file in the message. Throws a
     * {@link ConfigException} listing every problem (at most {@value #MAX_LINES} lines).
     */
    public void validate(JsonNode root, String source) {
        List<String> problems = problems(root);
        if (problems.isEmpty()) return;
        List<String> lines = new ArrayList<>(problems.subList(0, Math.min(MAX_LINES, problems.size())));
        if (problems.size() > MAX_LINES) lines.add("(and " + (problems.size() - MAX_LINES) + " more problems)");
        throw new ConfigException(source, String.join("\n" + source + ": ", lines));
    }

    /** The problems of a parsed config file, first in file order, each "where: what; fix" without the file name. */
    public List<String> problems(JsonNode root) {
        JsonNode doc = root == null || root.isMissingNode() ? NullNode.getInstance() : root;
        Loaded l = load();
        List<Error> errors = l.schema().validate(doc);
        record Problem(List<Integer> order, int rank, String text) {}
        List<Problem> problems = new ArrayList<>();
        for (Error e : errors) {
            List<Object> at = elements(e.getInstanceLocation());
            List<Object> schemaAt = elements(e.getSchemaLocation().getFragment());
            // an anyOf / oneOf with its own wording stands for every error of its branches
            String keyword = e.getKeyword();
            JsonNode parent = null;
            for (int i = 0; i < schemaAt.size(); i++) {
                if (!"anyOf".equals(schemaAt.get(i)) && !"oneOf".equals(schemaAt.get(i))) continue;
                JsonNode owner = l.node().at(pointer(schemaAt.subList(0, i)));
                if (hint(owner, (String) schemaAt.get(i), null) != null) {
                    keyword = (String) schemaAt.get(i);
                    parent = owner;
                    break;
                }
            }
            if (parent == null) parent = l.node().at(pointer(schemaAt.subList(0, Math.max(0, schemaAt.size() - 1))));
            String text = describe(keyword, e, at, parent, doc);
            problems.add(new Problem(order(at, doc), rank(keyword), text));
        }
        problems.sort(Comparator.comparing(Problem::order, ConfigSchema::compareOrder).thenComparingInt(Problem::rank));
        Set<String> out = new LinkedHashSet<>();
        for (Problem p : problems) out.add(p.text());
        return List.copyOf(out);
    }

    // ---- wording ----

    private String describe(String keyword, Error e, List<Object> at, JsonNode parent, JsonNode doc) {
        JsonNode value = e.getInstanceNode() == null ? doc.at(pointer(at)) : e.getInstanceNode();
        Where w = where(at, doc);
        String subject = subject(w);
        String beforeValue = quotedFields || w.item() ? subject + ": " : subject + " ";
        String h = hint(parent, keyword, e.getProperty());
        switch (keyword) {
            case "type" -> {
                String expected = h != null ? h : typeNoun(parent.get("type"));
                return w.item() ? beforeValue + quoted(value) + " is not " + expected
                        : subject + " must be " + expected + ", was " + was(value);
            }
            case "enum" -> {
                return beforeValue + quoted(value) + " " + (h != null ? h : "is not one of " + join(parent.get("enum")));
            }
            case "const" -> {
                return beforeValue + quoted(value) + " " + (h != null ? h : "must be " + flow(parent.get("const")));
            }
            case "pattern" -> {
                return beforeValue + quoted(value) + " " + (h != null ? h : "does not match " + parent.path("pattern").asText());
            }
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" -> {
                String limit = parent.path(keyword).asText();
                String rule = switch (keyword) {
                    case "minimum" -> "it must be at least " + limit;
                    case "maximum" -> "it must be at most " + limit;
                    case "exclusiveMinimum" -> "it must be more than " + limit;
                    default -> "it must be less than " + limit;
                };
                return subject + (w.item() ? " has " : " is ") + value.asText() + "; " + (h != null ? h : rule);
            }
            case "minItems", "minProperties" -> {
                int n = parent.path(keyword).asInt();
                String fix = h != null ? h : (keyword.equals("minItems") ? "list at least " + n : "give at least " + n + (n == 1 ? " entry" : " entries"));
                return subject + (value.isEmpty() ? " is empty; " : " has " + value.size() + "; ") + fix;
            }
            case "required" -> {
                String field = e.getProperty();
                Where missing = new Where(w.entry(), w.field().isEmpty() ? field : w.field() + "." + field, false);
                String fix = h;
                if (fix == null) {
                    JsonNode example = parent.path("properties").path(field).path("examples").path(0);
                    fix = example.isMissingNode() ? "add '" + field + ": ...'" : "add e.g. '" + field + ": " + flow(example) + "'";
                }
                return subject(missing) + " is missing; " + fix;
            }
            case "additionalProperties" -> {
                List<String> allowed = new ArrayList<>();
                parent.path("properties").fieldNames().forEachRemaining(allowed::add);
                if (at.isEmpty()) {
                    return "unknown top-level key '" + e.getProperty() + "'; " + (h != null ? h : allowed.size() == 1
                            ? "the only key is '" + allowed.get(0) + "'" : "allowed keys are " + String.join(", ", allowed) + " (check the spelling)");
                }
                return subject + ": unknown field '" + e.getProperty() + "'; " + (h != null ? h
                        : "allowed fields are " + String.join(", ", allowed) + " (check the spelling)");
            }
            case "anyOf", "oneOf" -> {
                return subject + ": " + (h != null ? h : "must match exactly one of its allowed forms");
            }
            default -> {
                return subject + ": " + e.getMessage();
            }
        }
    }

    /** Where an error is: the entry of a top-level list (claims, tiers, gates), the field within, and whether it is a list item. */
    private record Where(String entry, String field, boolean item) {}

    private String subject(Where w) {
        String f = w.field().isEmpty() ? "" : quotedFields ? "field '" + w.field() + "'" : w.field();
        if (w.entry() != null) return f.isEmpty() ? w.entry() : w.entry() + ": " + f;
        return f.isEmpty() ? "the top level" : f;
    }

    private Where where(List<Object> at, JsonNode doc) {
        int from = 0;
        String entry = null;
        if (entriesKey != null && at.size() >= 2 && entriesKey.equals(at.get(0)) && at.get(1) instanceof Integer i) {
            entry = label(i, doc.path(entriesKey).path(i));
            from = 2;
        }
        StringBuilder field = new StringBuilder();
        boolean item = false;
        for (Object s : at.subList(from, at.size())) {
            item = s instanceof Integer; // list items are named by their list; the value says which
            if (s instanceof String name) field.append(field.length() == 0 ? "" : ".").append(name);
        }
        return new Where(entry, field.toString(), item);
    }

    private String label(int index, JsonNode entry) {
        JsonNode id = entry.path(labelField);
        if (entriesById && id.isTextual() && !id.asText().isBlank()) return entryKind + " '" + id.asText().trim() + "'";
        return entryKind + (entriesById ? " #" : " ") + (index + 1);
    }

    private static String hint(JsonNode subschema, String keyword, String property) {
        JsonNode m = subschema == null ? null : subschema.path(MESSAGES).path(keyword);
        if (m == null || m.isMissingNode()) return null;
        if (m.isTextual()) return m.asText();
        JsonNode p = property == null ? null : m.get(property);
        return p != null && p.isTextual() ? p.asText() : null;
    }

    private static String typeNoun(JsonNode type) {
        if (type == null) return "another type";
        List<String> nouns = new ArrayList<>();
        for (JsonNode t : type.isArray() ? type : List.of(type)) {
            nouns.add(switch (t.asText()) {
                case "integer" -> "a whole number";
                case "number" -> "a number";
                case "string" -> "text";
                case "boolean" -> "true or false";
                case "object" -> "a mapping";
                case "array" -> "a list";
                default -> "empty";
            });
        }
        return String.join(" or ", nouns);
    }

    /** A value as the user wrote it, in quotes: 'twenty', '[1, 2]'. */
    private static String quoted(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return "''";
        return "'" + (v.isValueNode() ? v.asText() : flow(v)) + "'";
    }

    /** What a value of the wrong type was: 'text', 42, a list, a mapping, empty. */
    private static String was(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return "empty";
        if (v.isArray()) return "a list";
        if (v.isObject()) return "a mapping";
        if (v.isTextual()) return "'" + v.asText() + "'";
        return v.asText();
    }

    /** A value in YAML's flow style: {min: 500, max: 700}, [a, b], "1%". */
    private static String flow(JsonNode v) {
        if (v == null || v.isMissingNode()) return "";
        if (v.isObject()) {
            List<String> parts = new ArrayList<>();
            v.properties().forEach(f -> parts.add(f.getKey() + ": " + flow(f.getValue())));
            return "{" + String.join(", ", parts) + "}";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(flow(x)));
            return "[" + String.join(", ", parts) + "]";
        }
        if (v.isTextual() && !v.asText().matches("[A-Za-z0-9_][A-Za-z0-9_ ./-]*")) return "\"" + v.asText().replace("\"", "\\\"") + "\"";
        return v.asText();
    }

    private static String join(JsonNode values) {
        List<String> parts = new ArrayList<>();
        if (values != null) values.forEach(x -> parts.add(x.asText()));
        return String.join(", ", parts);
    }

    // ---- order: file order first; at one place an unknown field before what it may leave missing ----

    private static int rank(String keyword) {
        return switch (keyword) {
            case "additionalProperties" -> 0;
            case "anyOf", "oneOf" -> 1;
            case "required" -> 2;
            case "type" -> 3;
            default -> 4;
        };
    }

    private static List<Integer> order(List<Object> at, JsonNode doc) {
        List<Integer> out = new ArrayList<>();
        JsonNode n = doc;
        for (Object s : at) {
            if (s instanceof Integer i) {
                out.add(i);
                n = n.path(i);
            } else {
                int pos = 0;
                int found = Integer.MAX_VALUE;
                for (Iterator<String> it = n.fieldNames(); it.hasNext(); pos++) {
                    if (it.next().equals(s)) { found = pos; break; }
                }
                out.add(found);
                n = n.path((String) s);
            }
        }
        return out;
    }

    private static int compareOrder(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }

    // ---- paths and loading ----

    private static List<Object> elements(NodePath path) {
        List<Object> out = new ArrayList<>();
        if (path == null) return out;
        for (int i = 0; i < path.getNameCount(); i++) out.add(path.getElement(i));
        return out;
    }

    private static String pointer(List<Object> segments) {
        StringBuilder sb = new StringBuilder();
        for (Object s : segments) sb.append('/').append(s.toString().replace("~", "~0").replace("/", "~1"));
        return sb.toString();
    }

    private Loaded load() {
        Loaded l = loaded;
        if (l == null) {
            synchronized (this) {
                l = loaded;
                if (l == null) loaded = l = read();
            }
        }
        return l;
    }

    private Loaded read() {
        String resource = RESOURCE_DIR + fileName();
        try (InputStream in = ConfigSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("schema " + resource + " is not on the classpath (the model module copies config/schema)");
            JsonNode node = Json.JSON.readTree(in);
            Schema schema = REGISTRY.getSchema(SchemaLocation.of("classpath:" + resource), node);
            schema.initializeValidators();
            return new Loaded(node, schema);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + resource + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() { return fileName(); }
}

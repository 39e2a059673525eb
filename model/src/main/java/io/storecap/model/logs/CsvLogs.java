package io.storecap.model.logs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The two CSV formats: requests ({@code timestamp,method,path,status,shop}) and webhook deliveries
 * ({@code shop,topic,created_at}, as the app's own webhook table exports them). The header names the
 * columns, in any order; other columns (an id, a payload) are ignored. Values may be quoted
 * RFC 4180 style, so a path with a comma in its query string survives.
 */
final class CsvLogs {
    private CsvLogs() {}

    private static final Pattern METHOD = Pattern.compile("[A-Za-z]{3,10}");
    private static final Pattern NO_SPACE = Pattern.compile("\\S+");

    /** A CSV file whose header names the columns it needs. */
    abstract static class WithHeader<T> implements LogReader.LineParser<T> {
        private final List<String> required;
        private final Map<String, Integer> columns = new HashMap<>();
        private int width;

        WithHeader(List<String> required) { this.required = required; }

        @Override
        public boolean hasHeader() { return true; }

        @Override
        public String header(String line) {
            List<String> names = split(line);
            if (names == null) return "is not the header: a quoted name is not closed (found " + LogReader.snippet(line) + ")";
            for (int i = 0; i < names.size(); i++) columns.putIfAbsent(names.get(i).strip().toLowerCase(Locale.ROOT), i);
            width = names.size();
            List<String> missing = required.stream().filter(c -> !columns.containsKey(c)).toList();
            return missing.isEmpty() ? null : "is not the header: it lacks the column" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing) + " (found " + LogReader.snippet(line) + ")";
        }

        /** The line's cells, as many as the header has. */
        List<String> cells(String line) throws LogReader.BadLine {
            List<String> cells = split(line);
            if (cells == null) throw new LogReader.BadLine("a quoted value is not closed (a \" is missing)");
            if (cells.size() != width)
                throw new LogReader.BadLine("has " + cells.size() + " columns, the header " + width
                        + (cells.size() > width ? " (quote a value that holds a comma: \"...\")" : ""));
            return cells;
        }

        String cell(List<String> cells, String column) {
            Integer i = columns.get(column);
            return i == null ? "" : cells.get(i).strip();
        }
    }

    /** {@code timestamp,method,path,status,shop}: timestamp epoch ms or ISO-8601, shop may be empty. */
    static final class Requests extends WithHeader<LoggedRequest> {
        Requests() { super(List.of("timestamp", "method", "path", "status")); }

        @Override
        public LoggedRequest parse(String line) throws LogReader.BadLine {
            List<String> c = cells(line);
            long at = EpochMs.ofText(cell(c, "timestamp"), "timestamp");
            String method = cell(c, "method");
            if (!METHOD.matcher(method).matches()) throw new LogReader.BadLine("method '" + method + "' is not an HTTP method");
            String path = target(cell(c, "path"));
            String s = cell(c, "status");
            int status;
            try {
                status = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new LogReader.BadLine("status '" + s + "' is not a whole number");
            }
            if (status < 100 || status > 599) throw new LogReader.BadLine("status " + status + " is not an HTTP status (100-599)");
            String shop = cell(c, "shop");
            if (!shop.isEmpty() && !NO_SPACE.matcher(shop).matches()) throw new LogReader.BadLine("shop '" + shop + "' holds a space");
            return new LoggedRequest(at, method.toUpperCase(Locale.ROOT), path, status, shop.isEmpty() ? null : shop);
        }

        /** A path as logged, or a full URL whose path is taken. */
        private static String target(String p) throws LogReader.BadLine {
            String t = p;
            if (t.startsWith("http://") || t.startsWith("https://")) {
                int slash = t.indexOf('/', t.indexOf("//") + 2);
                t = slash < 0 ? "/" : t.substring(slash);
            }
            if (!t.startsWith("/")) throw new LogReader.BadLine("path '" + p + "' must start with '/' (or be a full URL)");
            return t;
        }
    }

    /** {@code shop,topic,created_at}: one delivery a line, created_at ISO-8601 (UTC when it names no zone). */
    static final class Webhooks extends WithHeader<LoggedWebhook> {
        Webhooks() { super(List.of("shop", "topic", "created_at")); }

        @Override
        public LoggedWebhook parse(String line) throws LogReader.BadLine {
            List<String> c = cells(line);
            String shop = cell(c, "shop");
            if (shop.isEmpty()) throw new LogReader.BadLine("shop is empty (every delivery names its store)");
            if (!NO_SPACE.matcher(shop).matches()) throw new LogReader.BadLine("shop '" + shop + "' holds a space");
            String topic = cell(c, "topic");
            if (topic.isEmpty() || !NO_SPACE.matcher(topic).matches())
                throw new LogReader.BadLine("topic '" + topic + "' is not a Shopify topic (e.g. orders/create)");
            String created = cell(c, "created_at");
            if (created.isEmpty()) throw new LogReader.BadLine("created_at is empty");
            long at = EpochMs.checked(EpochMs.iso(created, "created_at"), "created_at");
            return new LoggedWebhook(at, shop, topic.toLowerCase(Locale.ROOT));
        }
    }

    /** RFC 4180 cells of one line; null when a quote is not closed. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"' && cell.toString().isBlank()) {
                quoted = true;
                cell.setLength(0);
            } else if (ch == ',') {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        if (quoted) return null;
        out.add(cell.toString());
        return out;
    }
}

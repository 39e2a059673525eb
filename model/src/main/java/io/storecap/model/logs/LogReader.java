package io.storecap.model.logs;

import io.storecap.model.Numbers;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * Reads a log file a line at a time and hands each parsed line to a sink, so a log of millions of
 * lines costs only what the sink keeps. A bad line does not stop the reading: every bad line is
 * counted and the first is kept (number, why, what it holds), so the error can say how much of the
 * file is wrong and where to start. Blank lines are not lines here.
 */
public final class LogReader {
    private LogReader() {}

    /** Why a line cannot be read. */
    static final class BadLine extends Exception {
        BadLine(String reason) { super(reason, null, false, false); }
    }

    /** Parses one line of a format; null when the line is no record (Vercel's build output, a repeated request id: counted as skipped). */
    interface LineParser<T> {
        T parse(String line) throws BadLine;

        /** Whether the first line is a header; {@link #header} gets it instead of {@link #parse}. */
        default boolean hasHeader() { return false; }

        /** Checks the header; a message says what is wrong with it (the file is then not read further). */
        default String header(String line) { return null; }
    }

    /**
     * What reading one file found.
     *
     * @param lines   lines read, blank lines and the header not counted
     * @param records lines that became records
     * @param skipped lines that are no record (Vercel's build output, a repeated request id)
     * @param bad     malformed lines
     * @param fileProblem what makes the whole file unusable (missing, not text, no header), else null
     */
    public record Outcome(String file, LogFormat format, long lines, long records, long skipped, long bad,
                          long firstBadLine, String firstBadReason, String firstBadText, long firstMs, long lastMs,
                          String fileProblem) {
        public boolean ok() { return fileProblem == null && bad == 0 && records > 0; }

        /** The one line the error says about this file, or null when it is fine. */
        public String problem() {
            if (fileProblem != null) return file + ": " + fileProblem;
            if (bad > 0) {
                return file + ": " + Numbers.num((double) bad) + " of " + Numbers.num((double) lines) + " lines "
                        + (bad == 1 ? "is" : "are") + " malformed; the first is line " + firstBadLine + ", " + firstBadText + ": "
                        + firstBadReason + ". " + capitalised(format.expected()) + " (" + format.option() + ")";
            }
            if (records == 0) {
                return file + ": " + (lines == 0 ? "has no lines" : "none of its " + Numbers.num((double) lines)
                        + " lines is a request" + (format == LogFormat.VERCEL_NDJSON ? " (no line has a proxy object)" : ""))
                        + "; " + format.expected() + " (" + format.option() + ")";
            }
            return null;
        }
    }

    /** Reads {@code file} with {@code parser}, giving each record to {@code sink}; {@code time} is a record's epoch ms. */
    static <T> Outcome read(Path file, LogFormat format, LineParser<T> parser, ToLongFunction<T> time, Consumer<T> sink) {
        String name = file.toString();
        long lines = 0, records = 0, skipped = 0, bad = 0, firstBadLine = 0, first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        String firstReason = null, firstText = null;
        boolean headerDue = parser.hasHeader();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long number = 0;
            for (String line; (line = in.readLine()) != null; ) {
                number++;
                if (line.isBlank()) continue;
                if (number == 1 && line.charAt(0) == '\uFEFF') line = line.substring(1); // a byte-order mark from a spreadsheet
                if (headerDue) {
                    headerDue = false;
                    String wrong = parser.header(line);
                    if (wrong != null) return failed(name, format, "line " + number + " " + wrong + "; " + format.expected());
                    continue;
                }
                lines++;
                T record;
                try {
                    record = parser.parse(line);
                } catch (BadLine e) {
                    if (bad++ == 0) {
                        firstBadLine = number;
                        firstReason = e.getMessage();
                        firstText = snippet(line);
                    }
                    continue;
                }
                if (record == null) {
                    skipped++;
                    continue;
                }
                records++;
                long at = time.applyAsLong(record);
                first = Math.min(first, at);
                last = Math.max(last, at);
                if (bad == 0) sink.accept(record); // after a bad line the run fails: the sink need not see more
            }
        } catch (NoSuchFileException e) {
            return failed(name, format, "file not found");
        } catch (CharacterCodingException e) {
            return failed(name, format, "is not UTF-8 text (is it compressed? gunzip it first)");
        } catch (IOException e) {
            return failed(name, format, "cannot be read: " + e.getMessage());
        }
        return new Outcome(name, format, lines, records, skipped, bad, firstBadLine, firstReason, firstText, first, last, null);
    }

    private static Outcome failed(String file, LogFormat format, String problem) {
        return new Outcome(file, format, 0, 0, 0, 0, 0, null, null, Long.MAX_VALUE, Long.MIN_VALUE, problem);
    }

    /** The start of a bad line, quoted, so the error shows what is there without flooding the terminal. */
    static String snippet(String line) {
        String s = line.strip();
        return "'" + (s.length() > 100 ? s.substring(0, 100) + "...'" : s + "'");
    }

    private static String capitalised(String s) { return Character.toUpperCase(s.charAt(0)) + s.substring(1); }
}

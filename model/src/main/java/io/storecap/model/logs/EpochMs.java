package io.storecap.model.logs;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Timestamps of log lines as epoch milliseconds, with the mistakes logs commonly hold named: epoch
 * seconds where milliseconds are due, a time zone missing, a date that is no date.
 */
final class EpochMs {
    private EpochMs() {}

    /** 2000-01-01 and 2100-01-01: a log timestamp outside them is a unit or format mistake. */
    static final long EARLIEST = 946_684_800_000L, LATEST = 4_102_444_800_000L;
    private static final Pattern DIGITS = Pattern.compile("\\d{1,19}");
    private static final Pattern SHORT_OFFSET = Pattern.compile("([+-]\\d{2})(\\d{2})?$");

    /** A JSON number of epoch milliseconds (Vercel's timestamp fields). */
    static long ofJson(JsonNode n, String field) throws LogReader.BadLine {
        if (n == null || n.isNull() || n.isMissingNode()) throw new LogReader.BadLine(field + " is missing");
        if (!n.isNumber()) throw new LogReader.BadLine(field + " must be a number of epoch milliseconds, was '" + n.asText() + "'");
        double v = n.asDouble();
        if (v != Math.rint(v)) throw new LogReader.BadLine(field + " must be whole epoch milliseconds, was " + n.asText());
        return checked((long) v, field);
    }

    /** Epoch milliseconds written as digits, or an ISO-8601 date and time (UTC when it names no zone). */
    static long ofText(String s, String field) throws LogReader.BadLine {
        String t = s.strip();
        if (t.isEmpty()) throw new LogReader.BadLine(field + " is empty");
        if (DIGITS.matcher(t).matches()) return checked(Long.parseLong(t), field);
        return checked(iso(t, field), field);
    }

    /** ISO-8601: 2024-11-29T19:03:11Z, ...+01:00, Postgres' 2024-11-29 19:03:11.123+00, or without a zone (UTC). */
    static long iso(String t, String field) throws LogReader.BadLine {
        String s = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + "T" + t.substring(11) : t;
        s = s.replace(" ", "");
        try {
            if (s.endsWith("Z") || s.endsWith("z")) return Instant.parse(s.substring(0, s.length() - 1) + "Z").toEpochMilli();
            if (s.length() > 19 && (s.lastIndexOf('+') > 10 || s.lastIndexOf('-') > 10)) {
                var m = SHORT_OFFSET.matcher(s);
                if (m.find() && s.charAt(m.start() - 1) != ':' && !s.substring(m.start()).contains(":"))
                    s = s.substring(0, m.start()) + m.group(1) + ":" + (m.group(2) == null ? "00" : m.group(2));
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new LogReader.BadLine(field + " '" + t + "' is not an ISO-8601 date and time (e.g. 2024-11-29T19:03:11Z)");
        }
    }

    /** {@code ms} when it is a time between 2000 and 2100; epoch seconds are named as such. */
    static long checked(long ms, String field) throws LogReader.BadLine {
        if (ms >= EARLIEST / 1000 && ms < LATEST / 1000)
            throw new LogReader.BadLine(field + " " + ms + " looks like epoch seconds (" + Instant.ofEpochSecond(ms)
                    + "); it must be epoch milliseconds: multiply by 1000");
        if (ms < EARLIEST || ms >= LATEST)
            throw new LogReader.BadLine(field + " " + ms + " is not a time between 2000 and 2100 in epoch milliseconds");
        return ms;
    }
}

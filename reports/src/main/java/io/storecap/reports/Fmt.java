package io.storecap.reports;

import io.storecap.model.Binding;
import io.storecap.model.Measured;
import io.storecap.model.Numbers;
import io.storecap.model.Route;
import io.storecap.model.Verdict;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Number, text and HTML formatting shared by the page, the charts and the gate messages, so they agree. */
public final class Fmt {
    private Fmt() {}

    private static final DateTimeFormatter ISO_MINUTES =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Escapes text for HTML element content and double-quoted attribute values. */
    public static String esc(Object o) {
        if (o == null) return "";
        String s = String.valueOf(o);
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A store count: whole stores, rounded down, grouped ({@link Numbers#stores}, the model's rule too). */
    public static String stores(Double v) { return Numbers.stores(v); }

    /** Integer when whole, else up to two decimals ({@link Numbers#num}, the model's rule too). */
    public static String num(Double v) { return Numbers.num(v); }

    public static String ms(Double v) {
        if (v == null || !Double.isFinite(v)) return "-";
        return v >= 10 ? String.format(Locale.ROOT, "%,d ms", Math.round(v)) : num(round1(v)) + " ms";
    }

    /** A fraction (0.0123) as a percentage ("1.23 %"). */
    public static String pct(Double fraction) {
        if (fraction == null || !Double.isFinite(fraction)) return "-";
        double p = fraction * 100;
        if (p == 0) return "0 %";
        if (p < 0.01) return "< 0.01 %";
        return num(Math.round(p * 100) / 100.0) + " %";
    }

    public static String usd(double v) {
        if (v == 0) return "$0";
        if (v < 0.01) return String.format(Locale.ROOT, "$%.4f", v);
        if (v < 1) return String.format(Locale.ROOT, "$%.3f", v);
        return String.format(Locale.ROOT, "$%,.2f", v).replace(".00", "");
    }

    /** A monthly price per store in US cents: "0.06 ¢", "1.9 ¢", "$0" for free. */
    public static String cents(double usd) {
        if (usd == 0) return "0 ¢ (free)";
        double c = usd * 100;
        if (c < 0.01) return "< 0.01 ¢";
        return (c >= 10 ? String.format(Locale.ROOT, "%,.0f", c) : c >= 1 ? String.format(Locale.ROOT, "%.1f", c)
                : String.format(Locale.ROOT, "%.2f", c)) + " ¢";
    }

    public static String time(Long epochMs) {
        return epochMs == null || epochMs <= 0 ? "-" : ISO_MINUTES.format(Instant.ofEpochMilli(epochMs));
    }

    public static String isoInstant(Long epochMs) {
        return epochMs == null || epochMs <= 0 ? null : Instant.ofEpochMilli(epochMs).toString();
    }

    private static double round1(double v) { return Math.round(v * 10) / 10.0; }

    /** "1,450", "≥ 2,000" (nothing gave way within the stair), "≈ 2,450" (beyond the stair), or "not determined". */
    public static String threshold(Measured m) {
        if (m == null || m.threshold() == null) return m != null && m.high() != null ? "< " + stores(m.high()) : "not determined";
        if (m.lowerBound()) return "≥ " + stores(m.threshold());
        if (m.extrapolated()) return "≈ " + stores(m.threshold());
        return stores(m.threshold());
    }

    /**
     * The knee's 95 % interval as "1,200-1,600"; a lower bound says so ("lower bound", "machine-limited"),
     * never dressed as an interval; "" when there is none.
     */
    public static String interval(Measured m) {
        if (m == null || (m.low() == null && m.high() == null)) return "";
        if (m.kind() == io.storecap.model.MeasuredKind.MACHINE_LIMITED) return "machine-limited: ≥ " + stores(m.low());
        if (m.kind() == io.storecap.model.MeasuredKind.LOWER_BOUND) return "lower bound: ≥ " + stores(m.low());
        if (m.high() == null) return "≥ " + stores(m.low());
        if (m.low() == null) return "≤ " + stores(m.high());
        return stores(m.low()) + "–" + stores(m.high());
    }

    /** The binding constraint in words a founder reads ({@link Binding#label()}). */
    public static String binding(Binding binding) { return binding == null ? "-" : binding.label(); }

    /** The same for a binding id read from a file or a level's status; an unknown id is shown as it is. */
    public static String binding(String id) {
        if (id == null) return "-";
        try {
            return Binding.of(id).label();
        } catch (IllegalArgumentException e) {
            return id;
        }
    }

    public static String route(Route r) {
        return r == Route.POOLED ? "with PgBouncer" : "without a pooler";
    }

    public static String verdictWord(Verdict v) {
        return switch (v) {
            case CONFIRMED -> "holds";
            case OPTIMISTIC -> "too optimistic";
            case CONSERVATIVE -> "too cautious";
            case NOT_REFUTED -> "not refuted";
            case INCONCLUSIVE -> "not decided";
        };
    }

    /** A tier id as a word on the page: "free" -> "Free"; "?" when there is none. */
    static String tierWord(String tier) {
        return tier == null || tier.isEmpty() ? "?" : Character.toUpperCase(tier.charAt(0)) + tier.substring(1);
    }

    /** Rounded to 2 decimals, for the tables' figures. */
    static double round2(double v) { return Math.round(v * 100) / 100.0; }
}

package io.storecap.model;

import java.util.Locale;

/**
 * The one number formatter of the model's sentences, the report and the gate messages, so a number
 * reads the same everywhere. Store counts are whole stores rounded down (a capacity of 310.7 holds
 * 310), grouped; other numbers are whole when whole, else at most two decimals, trailing zeros dropped.
 */
public final class Numbers {
    private Numbers() {}

    /** Whole stores, rounded down, grouped ("1,250"); "-" for null or not finite. */
    public static String stores(Double v) {
        if (v == null || !Double.isFinite(v)) return "-";
        return String.format(Locale.ROOT, "%,d", (long) Math.floor(v));
    }

    /** Integer when whole, else up to two decimals without trailing zeros, grouped; "-" for null or not finite. */
    public static String num(Double v) {
        if (v == null || !Double.isFinite(v)) return "-";
        if (Math.abs(v - Math.rint(v)) < 1e-9 && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%,d", (long) Math.rint(v));
        String s = String.format(Locale.ROOT, "%,.2f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}

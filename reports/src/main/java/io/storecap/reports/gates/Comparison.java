package io.storecap.reports.gates;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A limit such as {@code ">= 500"}: an operator and a number; "1%" is read as 0.01. */
public record Comparison(String op, double value) {
    private static final Pattern FORM = Pattern.compile("\\s*(>=|<=|==|>|<|=)?\\s*([-+]?[0-9][0-9_,]*(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\\s*(%?)\\s*");

    public Comparison {
        if (!(op.equals(">=") || op.equals(">") || op.equals("<=") || op.equals("<") || op.equals("==")))
            throw new IllegalArgumentException("operator '" + op + "' is not one of >=, >, <=, <, ==");
        if (!Double.isFinite(value)) throw new IllegalArgumentException("limit must be a finite number");
    }

    /**
     * Parses ">= 500", "< 1%", "== 0"; a bare number takes {@code defaultOp}. Returns null when the
     * text is not of that form (the caller names the field in its error).
     */
    public static Comparison parse(String text, String defaultOp) {
        if (text == null) return null;
        Matcher m = FORM.matcher(text);
        if (!m.matches()) return null;
        String op = m.group(1) == null ? defaultOp : (m.group(1).equals("=") ? "==" : m.group(1));
        if (op == null) return null;
        double v = Double.parseDouble(m.group(2).replace("_", "").replace(",", ""));
        if (!m.group(3).isEmpty()) v /= 100;
        return new Comparison(op, v);
    }

    public boolean test(double actual) {
        return switch (op) {
            case ">=" -> actual >= value;
            case ">" -> actual > value;
            case "<=" -> actual <= value;
            case "<" -> actual < value;
            default -> Math.abs(actual - value) <= 1e-9 * Math.max(1, Math.abs(value));
        };
    }

    /** True when a smaller value is worse (the limit is a floor). */
    public boolean isFloor() { return op.startsWith(">"); }

    /** How far {@code actual} is from passing; 0 when it passes. */
    public double miss(double actual) {
        if (test(actual)) return 0;
        return Math.abs(actual - value);
    }

    public String describe(java.util.function.DoubleFunction<String> fmt) { return op + " " + fmt.apply(value); }

    @Override
    public String toString() { return op + " " + String.format(Locale.ROOT, "%s", value); }
}

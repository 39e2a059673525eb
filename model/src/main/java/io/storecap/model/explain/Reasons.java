package io.storecap.model.explain;

import java.util.Locale;

/** Number words shared by the explanation and the what-if answers. */
final class Reasons {
    private Reasons() {}

    static String stores(Double v) {
        if (v == null || !Double.isFinite(v)) return "-";
        return String.format(Locale.ROOT, "%,d", (long) Math.floor(v));
    }

    static String num(double v) {
        if (v == Math.rint(v)) return String.format(Locale.ROOT, "%.0f", v);
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }
}

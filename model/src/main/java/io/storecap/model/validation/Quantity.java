package io.storecap.model.validation;

/** What a validation case compares, predicted against measured, over the measured window. */
public enum Quantity {
    MEAN_WARM_INSTANCES("mean warm instances"),
    PEAK_WARM_INSTANCES("peak warm instances"),
    MEAN_CONNECTIONS("mean Postgres connections"),
    PEAK_CONNECTIONS("peak Postgres connections");

    private final String words;

    Quantity(String words) { this.words = words; }

    public String words() { return words; }

    public String id() { return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'); }
}

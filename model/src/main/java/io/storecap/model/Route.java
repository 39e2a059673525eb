package io.storecap.model;

/** How the app reaches Postgres: straight to the server, or through PgBouncer in transaction mode. */
public enum Route {
    DIRECT, POOLED;

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() { return name().toLowerCase(java.util.Locale.ROOT); }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Route parse(String s) {
        for (Route r : values()) if (r.id().equalsIgnoreCase(s == null ? "" : s.trim())) return r;
        throw new IllegalArgumentException("route '" + s + "' is not one of: direct, pooled");
    }
}

package io.storecap.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How the service under test holds Postgres connections: as emulated serverless function instances
 * (each with its own Prisma-like pool) or as one long-lived server with a shared pool. The id is
 * what study.yaml, run.json and the service's {@code --mode} say.
 */
public enum ServiceMode {
    SERVERLESS("serverless"),
    SERVER("server");

    private final String id;

    ServiceMode(String id) { this.id = id; }

    @JsonValue
    public String id() { return id; }

    /**
     * The mode with this id.
     *
     * @throws IllegalArgumentException naming the value and the known ones
     */
    @JsonCreator
    public static ServiceMode of(String id) {
        for (ServiceMode m : values()) if (m.id.equals(id)) return m;
        throw new IllegalArgumentException("mode must be serverless or server, was " + id);
    }

    @Override
    public String toString() { return id; }
}

package io.storecap.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The Cart Uplift schema, named as Prisma names it (quoted PascalCase tables). Created on start if
 * missing. The plan's indexes are a switch so that their effect can be measured too.
 */
public final class Schema {
    private Schema() {}

    static final List<String> TABLES = List.of(
            """
            CREATE TABLE IF NOT EXISTS "Session" (
              id text PRIMARY KEY, shop text NOT NULL, state text NOT NULL DEFAULT '',
              "isOnline" boolean NOT NULL DEFAULT false, scope text, expires timestamptz,
              "accessToken" text NOT NULL, "userId" bigint)""",
            """
            CREATE TABLE IF NOT EXISTS "Settings" (
              shop text PRIMARY KEY, enabled boolean NOT NULL DEFAULT true,
              "recommendationCount" int NOT NULL DEFAULT 4, "freeShippingThreshold" numeric NOT NULL DEFAULT 50,
              plan text NOT NULL DEFAULT 'free', "mlStatus" text NOT NULL DEFAULT 'pending',
              "updatedAt" timestamptz NOT NULL DEFAULT now())""",
            """
            CREATE TABLE IF NOT EXISTS "Bundle" (
              id bigserial PRIMARY KEY, shop text NOT NULL, name text NOT NULL,
              "productIds" text[] NOT NULL, discount numeric NOT NULL DEFAULT 10, active boolean NOT NULL DEFAULT true)""",
            """
            CREATE TABLE IF NOT EXISTS "CartAnalytics" (
              id bigserial PRIMARY KEY, shop text NOT NULL, "eventType" text NOT NULL, "productId" text,
              "cartValue" numeric NOT NULL DEFAULT 0, "createdAt" timestamptz NOT NULL DEFAULT now())""",
            """
            CREATE TABLE IF NOT EXISTS "WebhookEvent" (
              id text PRIMARY KEY, shop text NOT NULL, topic text NOT NULL, payload jsonb NOT NULL,
              "receivedAt" timestamptz NOT NULL DEFAULT now(), "processedAt" timestamptz)""",
            // the durable queue of queued mode lives in the same rows: unprocessed = "processedAt" IS NULL
            "ALTER TABLE \"WebhookEvent\" ADD COLUMN IF NOT EXISTS attempts int NOT NULL DEFAULT 0",
            "ALTER TABLE \"WebhookEvent\" ADD COLUMN IF NOT EXISTS \"lastError\" text",
            // the queue's own index, as Inngest keeps its queue indexed: not one of the plan's indexes
            "CREATE INDEX IF NOT EXISTS \"WebhookEvent_pending_idx\" ON \"WebhookEvent\"(\"receivedAt\") WHERE \"processedAt\" IS NULL",
            // Shopify's X-Shopify-Event-Id: one event may come under several webhook ids (one per
            // subscription), so the event id is a second dedupe key. Rows without one (older rows, a
            // delivery without the header) never conflict: NULLs are distinct in a unique index.
            "ALTER TABLE \"WebhookEvent\" ADD COLUMN IF NOT EXISTS \"eventId\" text",
            "CREATE UNIQUE INDEX IF NOT EXISTS \"WebhookEvent_eventId_key\" ON \"WebhookEvent\"(\"eventId\")");

    /** The seed's indexes: per-shop lookups that every hot endpoint filters on. */
    static final List<String> INDEXES = List.of(
            "CREATE INDEX IF NOT EXISTS \"Session_shop_idx\" ON \"Session\"(shop)",
            "CREATE INDEX IF NOT EXISTS \"Bundle_shop_idx\" ON \"Bundle\"(shop)",
            "CREATE INDEX IF NOT EXISTS \"CartAnalytics_shop_createdAt_idx\" ON \"CartAnalytics\"(shop, \"createdAt\")",
            "CREATE INDEX IF NOT EXISTS \"WebhookEvent_shop_idx\" ON \"WebhookEvent\"(shop)");

    /** The names of the plan's indexes, as {@link #INDEXES} creates them. */
    static final List<String> INDEX_NAMES = List.of("Session_shop_idx", "Bundle_shop_idx",
            "CartAnalytics_shop_createdAt_idx", "WebhookEvent_shop_idx");

    /**
     * Drops the plan's indexes if a previous run (or the harness) created them, so that
     * {@code --indexes=off} measures the schema without them.
     */
    public static void dropIndexes(Connection c) throws SQLException {
        underDdlLock(c, s -> {
            for (String name : INDEX_NAMES) s.execute("DROP INDEX IF EXISTS \"" + name + "\"");
        });
    }

    /** Creates what is missing. Safe to call from several processes: DDL is serialised by an advisory lock. */
    public static void create(Connection c, boolean indexes) throws SQLException {
        underDdlLock(c, s -> {
            for (String ddl : TABLES) s.execute(ddl);
            if (indexes) for (String ddl : INDEXES) s.execute(ddl);
        });
    }

    @FunctionalInterface
    private interface Ddl {
        void run(Statement s) throws SQLException;
    }

    /** Runs DDL in one transaction under the schema's advisory lock, so concurrent starts do not race. */
    private static void underDdlLock(Connection c, Ddl ddl) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(74201)");
            ddl.run(s);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}

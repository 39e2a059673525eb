package io.storecap.service;

import io.storecap.service.Http.Request;
import io.storecap.service.Http.Response;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * A shop's install and uninstall: the rows an install creates and those an uninstall removes. The
 * removal is shared with the app/uninstalled and shop/redact webhooks, which drop the same rows.
 */
final class InstallApi {
    private InstallApi() {}

    static Response install(Request r, Db db) throws SQLException {
        String shop = CartUpliftApi.shop(r);
        db.tx(c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO "Session"(id, shop, "isOnline", scope, "accessToken") VALUES (?, ?, ?, 'read_products', md5(?))
                    ON CONFLICT (id) DO UPDATE SET "accessToken" = excluded."accessToken\"""")) {
                for (boolean online : new boolean[]{false, true}) {
                    p.setString(1, (online ? "online_" : "offline_") + shop);
                    p.setString(2, shop);
                    p.setBoolean(3, online);
                    p.setString(4, shop + online);
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO "Settings"(shop) VALUES (?) ON CONFLICT DO NOTHING""")) {
                p.setString(1, shop);
                p.executeUpdate();
            }
            return null;
        });
        return Response.json(200, Map.of("ok", true, "shop", shop));
    }

    static Response uninstall(Request r, Db db) throws SQLException {
        String shop = CartUpliftApi.shop(r);
        db.tx(c -> {
            deleteShop(c, shop);
            return null;
        });
        return Response.json(200, Map.of("ok", true, "shop", shop));
    }

    /** Deletes the shop's sessions, settings and bundles; its analytics history stays. */
    static void deleteShop(Connection c, String shop) throws SQLException {
        for (String table : List.of("\"Session\"", "\"Settings\"", "\"Bundle\"")) {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE shop = ?")) {
                p.setString(1, shop);
                p.executeUpdate();
            }
        }
    }
}

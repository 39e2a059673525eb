package io.storecap.model.logs;

import io.storecap.model.ConfigException;
import io.storecap.model.ConfigSchema;
import io.storecap.model.TrafficProfile;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The rules file: the defaults classify the reference service's routes, and a bad file names the rule and field. */
class LogRulesTest {
    static final LogRules DEFAULTS = LogRules.load(FromLogsTest.CONFIG.resolve("log-rules.yaml"));

    static String kind(String method, String target) {
        LogRules.Rule r = DEFAULTS.ruleFor(new LoggedRequest(0, method, target, 200, null));
        return r == null ? null : r.kind();
    }

    @Test
    void theDefaultRulesAreTheReferenceRoutes() {
        // the paths of service CartUpliftApi and the requests of simulations StairSimulation / WebhookDelivery
        assertEquals("cart-event", kind("POST", "/proxy/events?shop=a.myshopify.com"));
        assertEquals("recommendations", kind("GET", "/proxy/recommendations?shop=a.myshopify.com"));
        assertEquals("webhook", kind("POST", "/webhooks/orders/create"));
        assertEquals("webhook", kind("POST", "/webhooks/app/uninstalled"));
        assertEquals("admin-session", kind("GET", "/admin/session"));
        assertEquals("dashboard", kind("GET", "/superadmin/dashboard?page=2"));
        assertNull(kind("GET", "/proxy/events"), "the method must match too");
        assertNull(kind("GET", "/admin/settings"), "not a kind the simulation sends");
        assertNull(kind("GET", "/proxy/recommendations/extra"));
    }

    @Test
    void theSchemasKindsAreTheSimulationsKinds() {
        Set<String> listed = new HashSet<>();
        ConfigSchema.LOG_RULES.schemaNode().at("/$defs/rule/properties/kind/enum").forEach(k -> listed.add(k.asText()));
        Set<String> kinds = new HashSet<>(TrafficProfile.STORE_KINDS);
        kinds.addAll(TrafficProfile.GLOBAL_KINDS);
        assertEquals(kinds, listed);
    }

    @Test
    void oneStarStaysInASegmentTwoCrossThem() {
        assertTrue(LogRules.glob("/api/*/events").matcher("/api/v2/events").matches());
        assertFalse(LogRules.glob("/api/*/events").matcher("/api/v2/x/events").matches());
        assertTrue(LogRules.glob("/webhooks/**").matcher("/webhooks/orders/create").matches());
        assertFalse(LogRules.glob("/a.b").matcher("/axb").matches(), "a dot is literal");
    }

    @Test
    void theStoreIsTheShopColumnOrTheQueryParameter() {
        assertEquals("my shop.myshopify.com", DEFAULTS.shopOf(new LoggedRequest(0, "GET", "/p?x=1&shop=my%20shop.myshopify.com", 200, null)));
        assertEquals("col.myshopify.com", DEFAULTS.shopOf(new LoggedRequest(0, "GET", "/p?shop=q.myshopify.com", 200, "col.myshopify.com")));
        assertNull(DEFAULTS.shopOf(new LoggedRequest(0, "GET", "/p?shopper=1", 200, null)));
        assertNull(DEFAULTS.shopOf(new LoggedRequest(0, "GET", "/p", 200, null)));
    }

    @Test
    void aBadRulesFileNamesTheRuleAndTheField() {
        String typo = assertThrows(ConfigException.class, () -> LogRules.parse("""
                rules:
                  - kind: cart-event
                    path: /proxy/events
                  - kind: webhook
                    pth: /webhooks/**
                """, "rules.yaml")).getMessage();
        assertTrue(typo.startsWith("rules.yaml: rule 2: unknown field 'pth'"), typo);
        String kind = assertThrows(ConfigException.class, () -> LogRules.parse("rules:\n  - kind: checkout\n    path: /c\n", "rules.yaml")).getMessage();
        assertEquals("rules.yaml: rule 1: kind 'checkout' is not a request kind of the profile; use cart-event, recommendations, webhook,"
                + " admin-session or dashboard", kind);
        String path = assertThrows(ConfigException.class, () -> LogRules.parse("rules:\n  - kind: webhook\n    path: webhooks\n", "rules.yaml")).getMessage();
        assertTrue(path.contains("rule 1: path 'webhooks' must start with '/'"), path);
    }
}

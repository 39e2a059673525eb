package io.storecap.service;

import io.storecap.service.Http.HttpError;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's parameter parsing, CSV quoting and the webhook signature, as properties that can fail. */
class DashboardQueryTest {
    static final java.util.List<String> NAMES = java.util.List.of("page", "pageSize", "sort", "dir", "plan", "mlStatus",
            "minRevenue", "q", "search", "view", "format");

    @Provide
    Arbitrary<Map<String, String>> params() {
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(120),
                Arbitraries.strings().withChars("0123456789-+.eE ").ofMaxLength(30),
                Arbitraries.of("1", "0", "-1", "50", "200", "201", "1000000000", "1000000001", "revenue", "ctr", "shop",
                        "asc", "DESC", "all", "paginated", "csv", "json", "%", "_", "\\", "'; DROP TABLE \"Settings\"; --",
                        "1e999999", "1e-999999", "NaN", "Infinity"));
        return Arbitraries.maps(Arbitraries.of(NAMES), values).ofMaxSize(6);
    }

    /**
     * Any parameters give either a query within its bounds or a 400, never another exception; the
     * SQL never sees the sort or direction text, and the search's wildcards are escaped.
     */
    @Property(tries = 1000, seed = "11")
    void anyParametersParseToABoundedQueryOrA400(@ForAll("params") Map<String, String> q) {
        DashboardQuery d;
        try {
            d = DashboardQuery.parse(q, "paginated");
        } catch (HttpError e) {
            assertEquals(400, e.status, e.getMessage());
            return;
        }
        assertTrue(d.page() >= 1 && d.page() <= DashboardQuery.MAX_PAGE);
        assertTrue(d.pageSize() >= 1 && d.pageSize() <= DashboardQuery.MAX_PAGE_SIZE);
        assertTrue(DashboardQuery.Sort.names().contains(d.sort().param));
        if (d.minRevenue() != null) assertTrue(d.minRevenue().abs().compareTo(CartUpliftApi.MAX_MONEY) <= 0);
        if (d.search() != null) {
            String inner = d.likePattern().substring(1, d.likePattern().length() - 1);
            // every %, _ and \ inside the pattern is preceded by the escape character
            for (int i = 0; i < inner.length(); i++) {
                char ch = inner.charAt(i);
                if (ch == '\\') {
                    i++;
                    assertTrue(i < inner.length() && "%_\\".indexOf(inner.charAt(i)) >= 0, inner);
                } else assertTrue(ch != '%' && ch != '_', inner);
            }
        }
        assertTrue(d.cacheKey().startsWith("storecap:dashboard:v1|view="));
    }

    /** Two different queries never share a cache key. */
    @Property(tries = 500, seed = "12")
    void cacheKeysDifferWhenQueriesDiffer(@ForAll("params") Map<String, String> a, @ForAll("params") Map<String, String> b) {
        DashboardQuery qa, qb;
        try {
            qa = DashboardQuery.parse(a, "paginated");
            qb = DashboardQuery.parse(b, "paginated");
        } catch (HttpError e) {
            return;
        }
        boolean same = qa.view().equals(qb.view()) && (qa.all() || qa.page() == qb.page() && qa.pageSize() == qb.pageSize())
                && qa.sort() == qb.sort() && qa.descending() == qb.descending() && java.util.Objects.equals(qa.plan(), qb.plan())
                && java.util.Objects.equals(qa.mlStatus(), qb.mlStatus()) && java.util.Objects.equals(qa.search(), qb.search())
                && qa.csv() == qb.csv() && (qa.minRevenue() == null ? qb.minRevenue() == null
                : qb.minRevenue() != null && qa.minRevenue().compareTo(qb.minRevenue()) == 0);
        assertEquals(same, qa.cacheKey().equals(qb.cacheKey()), qa + " / " + qb);
    }

    @Test
    void examples() {
        DashboardQuery d = DashboardQuery.parse(Map.of(), "paginated");
        assertEquals(1, d.page());
        assertEquals(50, d.pageSize());
        assertEquals(DashboardQuery.Sort.SHOP, d.sort());
        assertFalse(d.descending());
        assertTrue(DashboardQuery.parse(Map.of("sort", "revenue"), "paginated").descending(), "numbers biggest first by default");
        assertEquals(200, DashboardQuery.parse(Map.of("pageSize", "5000"), "paginated").pageSize());
        assertEquals("all", DashboardQuery.parse(Map.of(), "all").view(), "--dashboard=all is the default view");
        assertEquals("paginated", DashboardQuery.parse(Map.of("view", "paginated"), "all").view());
        assertEquals("%50\\%\\_off\\\\%", DashboardQuery.parse(Map.of("q", "50%_off\\"), "paginated").likePattern());
        assertThrows(HttpError.class, () -> DashboardQuery.parse(Map.of("sort", "shop; DROP TABLE x"), "paginated"));
        assertThrows(HttpError.class, () -> DashboardQuery.parse(Map.of("page", "0"), "paginated"));
        assertThrows(HttpError.class, () -> DashboardQuery.parse(Map.of("minRevenue", "1e999999"), "paginated"));
        assertNotEquals(DashboardQuery.parse(Map.of("plan", "a", "mlStatus", "b"), "paginated").cacheKey(),
                DashboardQuery.parse(Map.of("plan", "a|mlStatus=1:b"), "paginated").cacheKey(), "values cannot imitate other parameters");
    }

    @Test
    void csvCellsAreQuotedAndFormulasDefused() {
        assertEquals("plain", CartUpliftApi.cell("plain"));
        assertEquals("\"a,b\"", CartUpliftApi.cell("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CartUpliftApi.cell("say \"hi\""));
        assertEquals("\"two\nlines\"", CartUpliftApi.cell("two\nlines"));
        assertEquals("'=HYPERLINK(1)", CartUpliftApi.cell("=HYPERLINK(1)"));
        assertEquals("\"'=SUM(A1,A2)\"", CartUpliftApi.cell("=SUM(A1,A2)"));
        assertEquals("", CartUpliftApi.cell(null));
    }

    /** A signature made with any other secret, or for any other body, never verifies. */
    @Property(tries = 500, seed = "13")
    void webhookSignaturesBindSecretAndBody(@ForAll @Size(max = 200) byte[] body, @ForAll @Size(max = 200) byte[] other) {
        String secret = "app-secret-0123456789";
        String sig = Webhooks.sign(body, secret);
        assertTrue(Webhooks.verify(body, sig, secret));
        assertFalse(Webhooks.verify(body, Webhooks.sign(body, secret + "x"), secret));
        if (!java.util.Arrays.equals(body, other)) assertFalse(Webhooks.verify(other, sig, secret));
        assertFalse(Webhooks.verify(body, new String(other, StandardCharsets.ISO_8859_1), secret));
        assertFalse(Webhooks.verify(body, null, secret));
    }

    @Test
    void moneyIsBounded() {
        assertEquals(0, CartUpliftApi.money("12.50").compareTo(new java.math.BigDecimal("12.50")));
        assertEquals(null, CartUpliftApi.money("1e999999"));
        assertEquals(null, CartUpliftApi.money("abc"));
        assertEquals(new java.math.BigDecimal("0.000001"), CartUpliftApi.money("1e-999999"));
        Map<String, String> m = new HashMap<>();
        m.put("minRevenue", "-1000000000000");
        assertEquals(0, DashboardQuery.parse(m, "paginated").minRevenue().compareTo(CartUpliftApi.MAX_MONEY.negate()));
    }
}

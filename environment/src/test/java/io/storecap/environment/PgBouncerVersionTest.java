package io.storecap.environment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Versions compare by number, not as text, and the prepared-statements rule is >= 1.21. */
class PgBouncerVersionTest {

    @Test
    void comparesByNumberNotAsText() {
        PgBouncerVersion v13 = PgBouncerVersion.parse("1.3");
        PgBouncerVersion v121 = PgBouncerVersion.parse("1.21");
        assertTrue("1.3".compareTo("1.21") > 0, "as text 1.3 sorts after 1.21: the bug this type exists for");
        assertTrue(v13.compareTo(v121) < 0, "1.3 < 1.21");
        assertTrue(v121.compareTo(v13) > 0);
        assertFalse(v13.atLeast(v121));
        assertTrue(PgBouncerVersion.parse("1.24.1").compareTo(PgBouncerVersion.parse("1.24")) > 0, "1.24.1 > 1.24");
        assertTrue(PgBouncerVersion.parse("2.0").compareTo(PgBouncerVersion.parse("1.99.9")) > 0, "the major counts first");
        assertEquals(0, PgBouncerVersion.parse("1.21").compareTo(PgBouncerVersion.parse("1.21.0")), "1.21 = 1.21.0");
        assertEquals(PgBouncerVersion.parse("1.21"), PgBouncerVersion.parse(" 1.21.0 "));
    }

    @Test
    void preparedStatementsAreTrackedFrom121() {
        assertFalse(PgBouncerVersion.parse("1.3").tracksPreparedStatements(), "1.3");
        assertFalse(PgBouncerVersion.parse("1.20.1").tracksPreparedStatements(), "1.20.1");
        assertTrue(PgBouncerVersion.parse("1.21").tracksPreparedStatements(), "1.21");
        assertTrue(PgBouncerVersion.parse("1.21.0").tracksPreparedStatements(), "1.21.0");
        assertTrue(PgBouncerVersion.parse("1.24.1").tracksPreparedStatements(), "1.24.1");
        assertTrue(PgBouncerVersion.parse("2.0").tracksPreparedStatements(), "2.0");
        assertEquals("kept (PgBouncer >= 1.21, max_prepared_statements)", PgBouncerVersion.preparedStatementsText(true));
        assertEquals("off (prepareThreshold=0, as Prisma's pgbouncer=true)", PgBouncerVersion.preparedStatementsText(false));
    }

    @Test
    void partsAndText() {
        PgBouncerVersion v = PgBouncerVersion.parse("1.24.1");
        assertEquals(1, v.major());
        assertEquals(24, v.minor());
        assertEquals(1, v.patch());
        assertEquals("1.24.1", v.toString());
        assertEquals("1.21.0", PgBouncerVersion.parse("1.21").toString());
    }

    @Test
    void findsTheVersionInWhatPgBouncerPrints() {
        assertEquals(PgBouncerVersion.parse("1.24.1"),
                PgBouncerVersion.find("PgBouncer 1.24.1\nlibevent 2.1.12-stable\nadns: c-ares 1.34.5\ntls: OpenSSL 3.5.1"));
        assertEquals(PgBouncerVersion.parse("1.21.0"), PgBouncerVersion.find("PgBouncer 1.21.0"));
        assertEquals(PgBouncerVersion.parse("1.3"), PgBouncerVersion.find("PgBouncer 1.3"));
    }

    @Test
    void badStringsAreRefusedWithTheText() {
        for (String bad : new String[]{"", " ", "1", "1.", ".21", "1.x", "v1.21", "1.21.0.1", "1.21-rc1", "one.two", "1..21",
                "-1.21", "99999999999.1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PgBouncerVersion.parse(bad), "'" + bad + "'");
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> PgBouncerVersion.parse(null));
        assertThrows(IllegalArgumentException.class, () -> PgBouncerVersion.find("PgBouncer, version unknown"));
        assertThrows(IllegalArgumentException.class, () -> PgBouncerVersion.find(null));
        assertThrows(IllegalArgumentException.class, () -> new PgBouncerVersion(1, -21, 0));
    }
}

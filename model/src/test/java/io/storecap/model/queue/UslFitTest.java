package io.storecap.model.queue;

import io.storecap.model.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class UslFitTest {
    /**
     * specsdm91 from the R package usl (smoeding/usl, data/specsdm91; Gunther, Guerrilla Capacity
     * Planning, 2007): a Sun SPARCcenter 2000 in the SPEC SDM91 benchmark, users against scripts/hour.
     */
    static final String SPECSDM91 = """
            load,throughput
            1,64.9
            18,995.9
            36,1652.4
            72,1853.2
            108,1828.9
            144,1775.0
            216,1702.2
            """;

    static void assertSig3(double expected, double actual, String what) {
        double scale = Math.pow(10, Math.floor(Math.log10(Math.abs(expected))) - 2);
        assertEquals(Math.round(expected / scale), Math.round(actual / scale), what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void matchesRuslOnSpecsdm91ToThreeSignificantFigures() {
        // R usl 2.0 (tests/usl-nlxb.Rout.save, tests/summary.Rout.save): alpha (sigma) 0.0277285 se 0.0091217,
        // beta (kappa) 0.0001044 se 0.0000199, gamma (lambda) 89.9952330 se 14.2134894, residual s.e. 82.85 on 4 df,
        // R-squared 0.9896; tests/peak-scalability.R: 96.51956
        UslFit f = UslFit.of(UslCsv.parse(SPECSDM91).concurrency(), UslCsv.parse(SPECSDM91).throughput());
        UslResult r = f.result();
        assertSig3(0.0277285, r.sigma(), "sigma");
        assertSig3(0.0001044, r.kappa(), "kappa");
        assertSig3(89.9952330, r.lambda(), "lambda");
        assertSig3(0.0091217, f.sigmaStdError(), "sigma s.e.");
        assertSig3(0.0000199, f.kappaStdError(), "kappa s.e.");
        assertSig3(14.2134894, f.lambdaStdError(), "lambda s.e.");
        assertSig3(82.85, f.residualStdError(), "residual s.e.");
        assertEquals(0.9896, r.rSquared(), 0.00005);
        assertEquals(96L, r.peakConcurrency(), "floor(96.51956)");
        assertEquals(r.throughputAt(96), r.maxThroughput(), 1e-9);
        // 95 % interval = estimate +- t(0.975, 4) x s.e., t = 2.776445
        assertEquals(0.0277285 - 2.776445 * 0.0091217, r.sigmaCi()[0], 2e-4);
        assertEquals(89.9952330 + 2.776445 * 14.2134894, r.lambdaCi()[1], 0.05);
        assertTrue(r.kappaCi()[0] < r.kappa() && r.kappa() < r.kappaCi()[1]);
    }

    @Test
    void matchesRuslCoefTestOnAnExactCurve() {
        // R usl tests/coef.R: this table gives alpha 0.02, beta 0.02, gamma 1.00 (3 significant figures)
        UslResult r = UslFit.of(new double[]{1, 2, 4, 6, 8, 10}, new double[]{1, 1.8868, 3.0769, 3.5294, 3.5398, 3.3557}).result();
        assertSig3(0.02, r.sigma(), "sigma");
        assertSig3(0.02, r.kappa(), "kappa");
        assertSig3(1.00, r.lambda(), "lambda");
        assertEquals(1.0, r.rSquared(), 1e-6);
    }

    @Test
    void recoversKnownParametersFromItsOwnCurve() {
        double lambda = 250, sigma = 0.05, kappa = 0.0005;
        double[] n = {1, 2, 4, 8, 16, 32, 48, 64};
        double[] x = new double[n.length];
        for (int i = 0; i < n.length; i++) x[i] = UslFit.throughput(lambda, sigma, kappa, n[i]) * (1 + 0.001 * (i % 2 == 0 ? 1 : -1));
        UslResult r = UslFit.of(n, x).result();
        assertEquals(sigma, r.sigma(), 0.01 * sigma + 1e-3);
        assertEquals(kappa, r.kappa(), 0.05 * kappa);
        assertEquals(lambda, r.lambda(), 0.01 * lambda);
        assertEquals((long) Math.floor(Math.sqrt((1 - sigma) / kappa)), r.peakConcurrency(), 1);
    }

    @Test
    void jsonHasExactlyTheDocumentedKeys() throws Exception {
        UslResult r = UslResult.fit(UslCsv.parse(SPECSDM91));
        var node = Json.JSON.readTree(Json.JSON.writeValueAsString(r));
        List<String> keys = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("sigma", "kappa", "lambda", "sigmaCi", "kappaCi", "lambdaCi", "rSquared", "peakConcurrency",
                "maxThroughput"), keys);
        assertEquals(2, node.get("sigmaCi").size());
        assertEquals(96, node.get("peakConcurrency").asInt());
        assertTrue(r.toText().contains("peak concurrency      96"), r.toText());
    }

    @Test
    void linearScalingHasNoPeak() {
        double[] n = {1, 2, 3, 4, 5, 6};
        UslResult r = UslFit.of(n, new double[]{10, 20, 30, 40, 50, 60}).result();
        assertEquals(0, r.sigma(), 1e-6);
        assertEquals(0, r.kappa(), 1e-8);
        assertNull(r.peakConcurrency());
    }

    static String err(String csv) {
        return assertThrows(IllegalArgumentException.class, () -> UslCsv.parse(csv)).getMessage();
    }

    @Test
    void badCsvsGetClearErrors() {
        assertTrue(err("load,throughput\n1,2\n2,4\n").contains("too few points: 2"), err("load,throughput\n1,2\n2,4\n"));
        String neg = err(SPECSDM91.replace("995.9", "-995.9"));
        assertTrue(neg.startsWith("line 3, column 'throughput': -995.9 is negative"), neg);
        String missingHeaderColumn = err("load\n1\n2\n");
        assertTrue(missingHeaderColumn.contains("two are needed"), missingHeaderColumn);
        String missingCell = err(SPECSDM91.replace("36,1652.4", "36"));
        assertTrue(missingCell.startsWith("line 4: expected 2 values (load, throughput), found 1; a column is missing"), missingCell);
        String nan = err(SPECSDM91.replace("1828.9", "18x8.9"));
        assertTrue(nan.startsWith("line 6, column 'throughput': '18x8.9' is not a number"), nan);
        String noHeader = err("1,64.9\n18,995.9\n");
        assertTrue(noHeader.contains("add a header"), noHeader);
        assertTrue(err("").contains("empty"));
        assertTrue(err("a,b,c\n").contains("keep exactly two"));
    }

    @Test
    void acceptsSemicolonsTabsCommentsAndBlankLines() {
        UslCsv c = UslCsv.parse("# measured 2024\nusers;rps\n\n1;10\n2;19\n4;35\n8;60\n16;80\n32;85\n");
        assertEquals("users", c.concurrencyColumn());
        assertEquals(6, c.concurrency().length);
        assertEquals(85, c.throughput()[5]);
        assertEquals(6, UslCsv.parse("n\tx\n1\t1\n2\t2\n3\t3\n4\t4\n5\t5\n6\t6\n").throughput().length);
    }
}

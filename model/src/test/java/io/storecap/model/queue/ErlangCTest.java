package io.storecap.model.queue;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ErlangCTest {
    @Test
    void textbookValues() {
        // two servers offered one Erlang: C(2, 1) = 1/3 (e.g. Kleinrock vol. 1, M/M/2 with rho = 1/2)
        assertEquals(1.0 / 3, ErlangC.ofLoad(2, 1).probabilityOfWaiting(), 1e-12);
        // Wolfram Language ErlangC[3, 2] = 4/9 (its documentation's basic example)
        assertEquals(4.0 / 9, ErlangC.ofLoad(3, 2).probabilityOfWaiting(), 1e-12);
        // Erlang B(2, 1) = (1/2) / (1 + 1 + 1/2) = 1/5
        assertEquals(0.2, ErlangC.ofLoad(2, 1).erlangB(), 1e-12);
    }

    @Test
    void oneServerIsMM1() {
        // M/M/1: P(wait) = rho, Wq = rho / (mu - lambda)
        ErlangC q = new ErlangC(1, 8, 0.1); // lambda 8/s, mu 10/s
        assertEquals(0.8, q.probabilityOfWaiting(), 1e-12);
        assertEquals(0.8 / (10 - 8), q.meanWaitSeconds(), 1e-12);
        assertEquals(0.8 / 2 + 0.1, q.meanResponseSeconds(), 1e-12);
    }

    @Test
    void waitQuantileInvertsTheTail() {
        ErlangC q = new ErlangC(10, 80, 0.1);
        double t95 = q.waitQuantileSeconds(0.95);
        assertTrue(t95 > 0);
        assertEquals(0.05, q.probabilityWaitExceeds(t95), 1e-12);
        // when fewer than 5 % wait at all, the 95th percentile wait is 0
        assertEquals(0, new ErlangC(50, 10, 0.1).waitQuantileSeconds(0.95));
    }

    @Test
    void largePoolsDoNotOverflowAndOverloadIsUnstable() {
        ErlangC big = ErlangC.ofLoad(900, 850);
        assertTrue(big.probabilityOfWaiting() > 0 && big.probabilityOfWaiting() < 1);
        ErlangC over = ErlangC.ofLoad(90, 95);
        assertFalse(over.stable());
        assertEquals(1, over.probabilityOfWaiting());
        assertEquals(Double.POSITIVE_INFINITY, over.meanWaitSeconds());
    }

    @Test
    void serversNeededIsTheSmallestPoolMeetingTheTarget() {
        int c = ErlangC.serversNeeded(80, 0.1, 0.95, 0.01);
        assertTrue(new ErlangC(c, 80, 0.1).waitQuantileSeconds(0.95) <= 0.01);
        assertTrue(c == 9 || new ErlangC(c - 1, 80, 0.1).waitQuantileSeconds(0.95) > 0.01);
    }
}

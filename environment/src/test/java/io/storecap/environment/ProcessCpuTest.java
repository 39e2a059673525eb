package io.storecap.environment;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ProcessCpu reads /proc right: CPU this JVM burns shows up, and so does a reaped child's. */
class ProcessCpuTest {
    @BeforeEach
    void linuxOnly() {
        Assumptions.assumeTrue(ProcessCpu.available(), "/proc is Linux's");
    }

    @Test
    void cpuBurntByThisProcessIsCounted() {
        long self = ProcessHandle.current().pid();
        ProcessCpu cpu = ProcessCpu.create().withProcess("self", self).withTree("tree", self);
        Map<String, Long> before = cpu.snapshot();
        // burn 300 ms of this thread's CPU (not of wall time, so a slow machine only takes longer)
        var mx = ManagementFactory.getThreadMXBean();
        long start = mx.getCurrentThreadCpuTime();
        double x = 0;
        while (mx.getCurrentThreadCpuTime() - start < 300_000_000L) x += Math.sqrt(x + 1);
        Map<String, Double> spent = ProcessCpu.secondsBetween(before, cpu.snapshot());
        assertTrue(spent.get("self") >= 0.25, "at least the burnt 0.3 s less a tick or two: " + spent + " " + x);
        // the two are read one after the other from /proc while this JVM's other threads (GC, JIT) keep running,
        // so the later reading may gain or lose a clock tick or two (10 ms each) against the earlier one
        assertTrue(spent.get("tree") >= spent.get("self") - 0.02, "the tree includes the process itself: " + spent);
    }

    @Test
    void aReapedChildsCpuIsCountedAndAGoneProcessReadsZero() throws Exception {
        ProcessCpu cpu = ProcessCpu.create().withReapedChildren("children");
        Map<String, Long> before = cpu.snapshot();
        Process p = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done").start();
        assertEquals(0, p.waitFor());
        Map<String, Double> spent = ProcessCpu.secondsBetween(before, cpu.snapshot());
        assertTrue(spent.get("children") > 0, "the shell's loop counted once it was reaped: " + spent);
        assertEquals(0, ProcessCpu.own(p.pid()), "a process that is gone reads as zero");
    }
}

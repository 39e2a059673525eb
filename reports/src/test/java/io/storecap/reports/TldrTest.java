package io.storecap.reports;

import io.storecap.model.Binding;
import io.storecap.model.Measured;
import io.storecap.model.Verdict;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.study.StudyModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TldrTest {
    @Test
    void everyVerdictWordIsCountedIncludingNotRefuted() {
        Fixtures.Study s = Fixtures.study();
        ClaimResult a = s.model().claims().get(0), b = s.model().claims().get(1);
        ClaimResult notRefuted = new ClaimResult(b.id(), b.tier(), b.route(), b.claimed(), b.claimedText(), b.usableConnections(),
                Measured.lowerBound(600, Binding.SEARCH_TOP, null, null), Verdict.NOT_REFUTED, "a bound of 600 inside 500-700", b.runId(),
                b.fit(), b.fits(), b.levels(), b.assumptions(), null);
        StudyModel m = new StudyModel(List.of(a, notRefuted), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        assertEquals("Of the plan's 2 capacity claims, 1 is too optimistic and 1 is not refuted (a lower bound that does not reach past the claim).",
                Tldr.lines(m, s.tiers(), 1000).get(0));
    }
}

package io.storecap.reports;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Lets tests in other packages use the package-private fixtures. */
public final class FixturesAccess {
    private FixturesAccess() {}

    public static ObjectNode summary() {
        Fixtures.Study s = Fixtures.study();
        return SummaryJson.build(s.model(), s.runs(), s.tiers(), s.ctx());
    }

    public static Report writeReport(java.nio.file.Path dir) {
        Fixtures.Study s = Fixtures.study();
        return ReportWriter.write(dir, s.model(), s.runs(), s.tiers(), s.ctx());
    }
}

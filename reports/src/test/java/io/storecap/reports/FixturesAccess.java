package io.storecap.reports;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Lets tests in other packages use the package-private fixtures. */
public final class FixturesAccess {
    private FixturesAccess() {}

    /** The claims of the real study in src/test/resources/real-study ({@link RealStudyTest}). */
    public static final List<String> REAL_STUDY_CLAIMS = List.of("free-direct", "free-pooled", "launch-direct", "launch-pooled", "scale-pooled");

    public static ObjectNode summary() {
        Fixtures.Study s = Fixtures.study();
        return SummaryJson.build(s.model(), s.runs(), s.tiers(), s.ctx());
    }

    public static Report writeReport(java.nio.file.Path dir) {
        Fixtures.Study s = Fixtures.study();
        return ReportWriter.write(dir, s.model(), s.runs(), s.tiers(), s.ctx());
    }

    /**
     * Copies the real study (from this test-jar's classpath) into {@code studyDir} as a study lays
     * itself out: {@code claims.yaml}, {@code tiers.yaml} and {@code runs/<claim>/run.json} (with
     * samples.csv where it has one). Returns {@code studyDir}.
     */
    public static Path copyRealStudy(Path studyDir) throws IOException {
        Files.createDirectories(studyDir.resolve("runs"));
        copy("real-study/claims.yaml", studyDir.resolve("claims.yaml"), true);
        copy("real-study/tiers.yaml", studyDir.resolve("tiers.yaml"), true);
        for (String id : REAL_STUDY_CLAIMS) {
            Path run = Files.createDirectories(studyDir.resolve("runs").resolve(id));
            copy("real-study/" + id + "/run.json", run.resolve("run.json"), true);
            copy("real-study/" + id + "/samples.csv", run.resolve("samples.csv"), false);
        }
        return studyDir;
    }

    private static void copy(String resource, Path to, boolean required) throws IOException {
        try (InputStream in = FixturesAccess.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                if (required) throw new IOException("test resource " + resource + " is not on the classpath");
                return;
            }
            Files.copy(in, to);
        }
    }
}

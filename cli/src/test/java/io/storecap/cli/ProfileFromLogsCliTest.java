package io.storecap.cli;

import io.storecap.model.TrafficProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** {@code profile from-logs} end to end: a profile study --profile reads, and on a bad line exit 2 with nothing written. */
class ProfileFromLogsCliTest {
    static final Path CONFIG = Path.of("..", "config").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** Two whole hours of storefront requests from three stores, and the given extra lines. */
    Path requests(String... extra) throws IOException {
        List<String> lines = new ArrayList<>(List.of("timestamp,method,path,status,shop"));
        String[] shops = {"a.myshopify.com", "a.myshopify.com", "a.myshopify.com", "b.myshopify.com", "b.myshopify.com", "c.myshopify.com"};
        for (int minute = 0; minute < 120; minute++)
            lines.add(Instant.parse("2024-11-28T10:00:00Z").plusSeconds(minute * 60L) + ",POST,/proxy/events,201," + shops[minute % shops.length]);
        lines.addAll(List.of(extra));
        return Files.write(dir.resolve("requests.csv"), lines);
    }

    String[] args(Path requests, Path out) {
        return new String[]{"profile", "from-logs", "--requests", requests.toString(), "--rules", CONFIG.resolve("log-rules.yaml").toString(),
                "--base", CONFIG.resolve("profile.yaml").toString(), "--out", out.toString()};
    }

    @Test
    void writesAProfileThatAStudyReads() throws IOException {
        Path out = dir.resolve("nested/profile.yaml");
        CliTest.Outcome r = CliTest.run(args(requests(), out));
        assertEquals(0, r.code(), r.all());
        TrafficProfile p = TrafficProfile.load(out);
        assertEquals(20, p.perStorePerHour().get("cart-event").peak(), 1e-9, "60 requests an hour over 3 stores");
        assertTrue(r.out().contains("wrote " + out + "; run a study on it with ./storecap study --profile " + out), r.out());
        assertTrue(r.out().contains("cart-event"), r.out());
        assertEquals(List.of(out), files(out.getParent()), "no temporary file left beside it");
    }

    @Test
    void aMalformedLineExitsTwoAndWritesNothing() throws IOException {
        Path out = dir.resolve("profile.yaml");
        CliTest.Outcome r = CliTest.run(args(requests("2024-11-28T11:30:00Z,POST,/proxy/events,created,a.myshopify.com"), out));
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("storecap profile from-logs: " + dir.resolve("requests.csv")
                + ": 1 of 121 lines is malformed; the first is line 122, '2024-11-28T11:30:00Z,POST,/proxy/events,created,a.myshopify.com':"
                + " status 'created' is not a whole number."), r.err());
        assertTrue(r.err().contains("Nothing was written to " + out + "."), r.err());
        assertFalse(Files.exists(out));
        assertEquals(List.of(dir.resolve("requests.csv")), files(dir), "no partial or temporary profile");
    }

    @Test
    void aFailedRunLeavesAnEarlierProfileAsItWas() throws IOException {
        Path out = dir.resolve("profile.yaml");
        Files.writeString(out, "name: earlier\n");
        CliTest.Outcome r = CliTest.run(args(requests("not,a,request"), out));
        assertEquals(2, r.code(), r.all());
        assertEquals("name: earlier\n", Files.readString(out));
    }

    @Test
    void helpListsTheCommandAndItsOptions() {
        assertTrue(CliTest.run("help").out().contains("profile"));
        CliTest.Outcome h = CliTest.run("profile", "from-logs", "--help");
        assertEquals(0, h.code());
        assertFalse(h.all().contains("WARN"), "the description formats: " + h.all());
        for (String o : new String[]{"--vercel", "--requests", "--webhooks", "--rules", "--stores", "--out"}) assertTrue(h.out().contains(o), o);
        CliTest.Outcome none = CliTest.run("profile", "from-logs", "--out", dir.resolve("p.yaml").toString(),
                "--rules", CONFIG.resolve("log-rules.yaml").toString(), "--base", CONFIG.resolve("profile.yaml").toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no logs given: pass --vercel FILE.ndjson, --requests FILE.csv and/or --webhooks FILE.csv"), none.err());
    }

    static List<Path> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }
}

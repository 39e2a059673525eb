package io.storecap.model.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** A malformed log fails the whole run with how many lines are bad, the first one and why, for each format. */
class MalformedLogTest {
    @TempDir
    Path dir;

    static final String GOOD_VERCEL = "{\"timestamp\":1732820400000,\"requestId\":\"r%d\",\"proxy\":{\"timestamp\":1732820400000,"
            + "\"method\":\"GET\",\"path\":\"/proxy/recommendations?shop=a.myshopify.com\",\"statusCode\":200}}";

    String fail(List<Path> vercel, List<Path> requests, List<Path> webhooks) {
        return assertThrows(MalformedLogException.class, () -> FromLogs.run(FromLogsTest.options(vercel, requests, webhooks, null),
                FromLogsTest.NOW)).getMessage();
    }

    Path file(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    @Test
    void vercelCountsBadLinesAndNamesTheFirst() throws IOException {
        Path f = file("vercel.ndjson", GOOD_VERCEL.formatted(1), GOOD_VERCEL.formatted(2), "not json at all",
                "", GOOD_VERCEL.formatted(3).replace(",\"statusCode\":200", ""), GOOD_VERCEL.formatted(4));
        String m = fail(List.of(f), List.of(), List.of());
        assertTrue(m.startsWith(f + ": 2 of 5 lines are malformed; the first is line 3, 'not json at all': not JSON ("), m);
        assertTrue(m.contains("). Each line must be a JSON object with timestamp (epoch ms) and proxy"), m);
        assertTrue(m.endsWith("(--vercel)"), m);
        assertEquals(1, m.lines().count());
    }

    @Test
    void vercelSaysWhatIsWrongInsideALine() throws IOException {
        assertTrue(fail(List.of(file("a.ndjson", GOOD_VERCEL.formatted(1).replace(",\"statusCode\":200", ""))), List.of(), List.of())
                .contains("line 1, '{\"timestamp\":1732820400000,\"requestId\":\"r1\",\"proxy\""));
        assertTrue(fail(List.of(file("a2.ndjson", GOOD_VERCEL.formatted(1).replace(",\"statusCode\":200", ""))), List.of(), List.of())
                .contains("...': proxy.statusCode is missing."));
        String seconds = GOOD_VERCEL.formatted(1).replace("\"proxy\":{\"timestamp\":1732820400000", "\"proxy\":{\"timestamp\":1732820400");
        assertTrue(fail(List.of(file("b.ndjson", seconds)), List.of(), List.of())
                .contains("': proxy.timestamp 1732820400 looks like epoch seconds (2024-11-28T19:00:00Z); it must be epoch milliseconds"));
        assertTrue(fail(List.of(file("c.ndjson", "[1, 2]")), List.of(), List.of()).contains("line 1, '[1, 2]': not a JSON object."));
        assertTrue(fail(List.of(file("d.ndjson", GOOD_VERCEL.formatted(1).replace("\"statusCode\":200", "\"statusCode\":\"ok\""))), List.of(), List.of())
                .contains("proxy.statusCode must be a whole number, was 'ok'"));
    }

    @Test
    void aVercelFileWithoutRequestsOrLinesSaysSo() throws IOException {
        String m = fail(List.of(file("build.ndjson", "{\"timestamp\":1732820400000,\"source\":\"build\",\"message\":\"ok\"}")), List.of(), List.of());
        assertTrue(m.contains("build.ndjson: none of its 1 lines is a request (no line has a proxy object)"), m);
        assertTrue(fail(List.of(file("empty.ndjson", "")), List.of(), List.of()).contains("empty.ndjson: has no lines"));
    }

    @Test
    void requestsCsvNamesAMissingHeaderAndBadCells() throws IOException {
        String noHeader = fail(List.of(), List.of(file("r1.csv", "1732820400000,GET,/a,200,x")), List.of());
        assertTrue(noHeader.contains("r1.csv: line 1 is not the header: it lacks the columns timestamp, method, path, status"), noHeader);
        String m = fail(List.of(), List.of(file("r2.csv", "timestamp,method,path,status,shop", "1732820400000,GET,/a,200,x",
                "1732820400000,GET,/a?b=1,c=2,200,x", "1732820400000,GET,/a,2OO,x")), List.of());
        assertTrue(m.startsWith(dir.resolve("r2.csv") + ": 2 of 3 lines are malformed; the first is line 3, '1732820400000,GET,/a?b=1,c=2,200,x': has 6 columns, the header 5"
                + " (quote a value that holds a comma: \"...\")"), m);
        String status = fail(List.of(), List.of(file("r3.csv", "timestamp,method,path,status,shop", "2024-11-28T19:00:00Z,GET,/a,2OO,x")), List.of());
        assertTrue(status.contains("line 2, '2024-11-28T19:00:00Z,GET,/a,2OO,x': status '2OO' is not a whole number"), status);
        String when = fail(List.of(), List.of(file("r4.csv", "timestamp,method,path,status,shop", "yesterday,GET,/a,200,x")), List.of());
        assertTrue(when.contains("': timestamp 'yesterday' is not an ISO-8601 date and time (e.g. 2024-11-29T19:03:11Z)"), when);
    }

    @Test
    void webhooksCsvNamesABadDate() throws IOException {
        String m = fail(List.of(), List.of(), List.of(file("w.csv", "shop,topic,created_at", "a.myshopify.com,orders/create,2024-11-28 19:00:00+00",
                "a.myshopify.com,orders/create,28/11/2024 19:00")));
        assertTrue(m.contains("w.csv: 1 of 2 lines is malformed; the first is line 3, 'a.myshopify.com,orders/create,28/11/2024 19:00': created_at '28/11/2024 19:00' is not an ISO-8601"), m);
        assertTrue(m.endsWith("(--webhooks)"), m);
        String blank = fail(List.of(), List.of(), List.of(file("w2.csv", "shop,topic,created_at", ",orders/create,2024-11-28T19:00:00Z")));
        assertTrue(blank.contains("': shop is empty (every delivery names its store)"), blank);
    }

    @Test
    void everyBadFileIsListedOneLineEach() throws IOException {
        Path missing = dir.resolve("nope.ndjson");
        Path gz = dir.resolve("logs.ndjson.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(GOOD_VERCEL.formatted(1).repeat(50).getBytes());
        }
        String m = fail(List.of(missing, gz), List.of(), List.of(file("w.csv", "shop,topic")));
        List<String> lines = m.lines().toList();
        assertEquals(3, lines.size(), m);
        assertEquals(missing + ": file not found", lines.get(0));
        assertTrue(lines.get(1).startsWith(gz + ": is not UTF-8 text (is it compressed? gunzip it first)"), lines.get(1));
        assertTrue(lines.get(2).contains("w.csv: line 1 is not the header: it lacks the column created_at"), lines.get(2));
    }
}

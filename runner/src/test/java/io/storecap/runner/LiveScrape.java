package io.storecap.runner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of /metrics over HTTP, parsed: every sample with its labels (what Prometheus would store). */
record LiveScrape(int status, String contentType, String body, List<Series> series) {

    /** One sample line: {@code name{labels} value}. */
    record Series(String name, Map<String, String> labels, double value) {}

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static LiveScrape of(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        List<Series> series = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            Matcher m = LINE.matcher(line.trim());
            if (!m.matches()) throw new AssertionError("not a Prometheus text-format sample line: " + line);
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) labels.put(l.group(1), l.group(2));
            }
            series.add(new Series(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return new LiveScrape(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), List.copyOf(series));
    }

    /** The value of the first series of {@code name} whose labels include {@code labels} (k1, v1, k2, v2, ...). */
    OptionalDouble value(String name, String... labels) {
        return series.stream().filter(s -> s.name().equals(name)).filter(s -> {
            for (int i = 0; i + 1 < labels.length; i += 2) if (!labels[i + 1].equals(s.labels().get(labels[i]))) return false;
            return true;
        }).mapToDouble(Series::value).findFirst();
    }

    /** Every metric name sampled (a counter's with its _total). */
    Set<String> names() {
        Set<String> n = new TreeSet<>();
        series.forEach(s -> n.add(s.name()));
        return n;
    }
}

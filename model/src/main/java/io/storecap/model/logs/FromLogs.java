package io.storecap.model.logs;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Json;
import io.storecap.model.Numbers;
import io.storecap.model.TrafficProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code ./storecap profile from-logs}: the app's own logs in, a traffic profile out. Reads every
 * file (each bad line counted, the first kept), fails with one line per bad file before estimating
 * anything, estimates ({@link TrafficEstimate}), writes the profile ({@link ProfileWriter}) and reads
 * it back with {@link TrafficProfile#parse} as {@code study --profile} will. Returns the text; the
 * caller writes the file (atomically), so a failure anywhere writes nothing.
 */
public final class FromLogs {
    private FromLogs() {}

    /**
     * @param vercel   Vercel log drain NDJSON files
     * @param requests requests CSV files
     * @param webhooks webhook deliveries CSV files
     * @param rules    the rules file (config/log-rules.yaml)
     * @param base     the profile the figures the logs cannot give come from (config/profile.yaml)
     * @param stores   the stores the logs cover, when more than they name (null: the distinct stores named)
     * @param name     the profile's name (null: from-logs and the dates)
     */
    public record Options(List<Path> vercel, List<Path> requests, List<Path> webhooks, Path rules, Path base, Integer stores, String name) {
        public Options {
            vercel = vercel == null ? List.of() : List.copyOf(vercel);
            requests = requests == null ? List.of() : List.copyOf(requests);
            webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
            Objects.requireNonNull(rules, "rules");
            Objects.requireNonNull(base, "base");
        }
    }

    /**
     * The profile's text and the profile it parses to, what it was estimated from, and the notes of its
     * provenance (figures kept from the base, requests left out and why).
     */
    public record Result(String yaml, TrafficProfile profile, TrafficEstimate estimate, List<LogReader.Outcome> sources, List<String> notes) {}

    public static Result run(Options o, Instant now) {
        if (o.vercel().isEmpty() && o.requests().isEmpty() && o.webhooks().isEmpty())
            throw new IllegalArgumentException("no logs given: pass --vercel FILE.ndjson, --requests FILE.csv and/or --webhooks FILE.csv");
        if (o.stores() != null && o.stores() < 1) throw new IllegalArgumentException("--stores must be 1 or more, was " + o.stores());
        LogRules rules = LogRules.load(o.rules());
        ProfileWriter.Base base = base(o.base());
        LogTally tally = new LogTally(rules, !o.webhooks().isEmpty());
        List<LogReader.Outcome> outcomes = new ArrayList<>();
        for (Path f : o.vercel())
            outcomes.add(LogReader.read(f, LogFormat.VERCEL_NDJSON, new VercelLog(), LoggedRequest::atMs, r -> tally.request(r, f.toString())));
        for (Path f : o.requests())
            outcomes.add(LogReader.read(f, LogFormat.REQUESTS_CSV, new CsvLogs.Requests(), LoggedRequest::atMs, r -> tally.request(r, f.toString())));
        for (Path f : o.webhooks())
            outcomes.add(LogReader.read(f, LogFormat.WEBHOOKS_CSV, new CsvLogs.Webhooks(), LoggedWebhook::atMs, w -> tally.delivery(w, f.toString())));
        List<String> problems = outcomes.stream().map(LogReader.Outcome::problem).filter(Objects::nonNull).toList();
        if (!problems.isEmpty()) throw new MalformedLogException(String.join("\n", problems));

        if (!tally.requests.isEmpty() && tally.requests.hourly.isEmpty() && tally.webhookRequestsLeftOut == 0)
            throw new IllegalArgumentException("none of the " + Numbers.num((double) tally.unclassifiedTotal) + " requests in "
                    + String.join(", ", tally.requests.files) + " matches a rule of " + rules.source() + "; the busiest paths: "
                    + String.join(", ", tally.unclassified.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(5).map(e -> e.getKey() + " (" + Numbers.num((double) e.getValue()) + ")").toList())
                    + ". Copy the rules file, put in your app's paths and pass it with --rules");
        TrafficEstimate estimate = TrafficEstimate.of(tally, o.stores());
        String name = o.name() != null && !o.name().isBlank() ? o.name().strip() : defaultName(estimate);
        ProfileWriter.Written w = ProfileWriter.write(estimate, base,
                new ProfileWriter.Meta(name, now, rules.source(), List.copyOf(outcomes), tally.unclassifiedByFile));
        String yaml = w.yaml();
        TrafficProfile written;
        try {
            written = TrafficProfile.parse(yaml, "the written profile");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the profile written from the logs does not parse (a bug in profile from-logs): " + e.getMessage(), e);
        }
        return new Result(yaml, written, estimate, List.copyOf(outcomes), w.notes());
    }

    private static ProfileWriter.Base base(Path file) {
        TrafficProfile profile = TrafficProfile.load(file);
        try {
            JsonNode tree = Json.YAML.readTree(Files.readString(file));
            return new ProfileWriter.Base(file.toString(), profile, tree);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read base profile " + file + ": " + e.getMessage());
        }
    }

    private static String defaultName(TrafficEstimate e) {
        long from = e.windows().stream().mapToLong(TrafficEstimate.Window::fromMs).min().orElse(0);
        long to = e.windows().stream().mapToLong(TrafficEstimate.Window::toMs).max().orElse(0);
        return "from-logs " + Instant.ofEpochMilli(from).toString().substring(0, 10) + " to " + Instant.ofEpochMilli(to - 1).toString().substring(0, 10);
    }

    /** What the terminal shows: the sources, each kind's rates, the stores and their skew, the busiest hour and minute. */
    public static String summary(Result r) {
        TrafficEstimate e = r.estimate();
        StringBuilder sb = new StringBuilder();
        for (LogReader.Outcome o : r.sources())
            sb.append(String.format(Locale.ROOT, "  %s (%s): %s lines, %s counted, %s skipped%n", o.file(), o.format().id(),
                    Numbers.num((double) o.lines()), Numbers.num((double) o.records()), Numbers.num((double) o.skipped())));
        for (TrafficEstimate.Window w : e.windows())
            sb.append(String.format(Locale.ROOT, "  %s: %d whole hours, %s to %s%n", w.feed(), w.wholeHours(),
                    ProfileWriter.MINUTE.format(Instant.ofEpochMilli(w.fromMs())), ProfileWriter.MINUTE.format(Instant.ofEpochMilli(w.toMs()))));
        sb.append(String.format(Locale.ROOT, "  %-16s %10s %10s  %-15s %12s%n", "kind", "baseline", "peak", "per", "requests"));
        for (TrafficEstimate.KindRate k : e.rates())
            sb.append(String.format(Locale.ROOT, "  %-16s %10s %10s  %-15s %12s%n", k.kind(), Numbers.num(ProfileWriter.round(k.baseline())),
                    Numbers.num(ProfileWriter.round(k.peak())), k.perStore() ? "store and hour" : "hour", Numbers.num((double) k.requests())));
        sb.append("  stores: ").append(Numbers.num((double) e.stores()))
                .append(e.stores() == e.storesSeen() ? " (named in the logs)" : " (--stores; " + e.storesSeen() + " named in the logs)").append('\n');
        if (e.zipf() != null)
            sb.append(String.format(Locale.ROOT, "  store sizes: Zipf exponent %.3f (95 %% interval %.3f to %.3f, dispersion %s)%n",
                    e.zipf().exponent(), e.zipf().low(), e.zipf().high(), Numbers.num(e.zipf().dispersion())));
        if (e.busiestHour() != null)
            sb.append("  busiest hour: ").append(ProfileWriter.MINUTE.format(Instant.ofEpochMilli(e.busiestHour().startMs())))
                    .append(", ").append(Numbers.num((double) e.busiestHour().requests())).append(" requests\n");
        if (e.minutePeak() != null)
            sb.append(String.format(Locale.ROOT, "  its busiest minute: %s, %sx the hour's mean minute (Poisson arrivals alone: %sx)%n",
                    ProfileWriter.MINUTE.format(Instant.ofEpochMilli(e.minutePeak().minuteMs())), Numbers.num(e.minutePeak().ratio()),
                    Numbers.num(e.minutePeak().poissonAlone())));
        if (e.unclassifiedRequests() > 0) {
            sb.append("  unclassified: ").append(Numbers.num((double) e.unclassifiedRequests())).append(" requests no rule matched; the busiest: ");
            sb.append(String.join(", ", e.unclassified().stream().limit(5).map(p -> p.path() + " (" + Numbers.num((double) p.requests()) + ")").toList()));
            sb.append("\n  (add a rule to the rules file to count one as a request kind)\n");
        }
        for (String n : r.notes()) sb.append("  note: ").append(n).append('\n');
        return sb.toString();
    }
}

package io.storecap.runner;

import io.storecap.environment.DatabaseEnvironment;
import io.storecap.environment.EnvUp;
import io.storecap.model.Claim;
import io.storecap.model.ClaimedRange;
import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.RuntimesFile;
import io.storecap.model.Tier;
import io.storecap.model.TiersFile;
import io.storecap.model.TrafficProfile;
import io.storecap.service.Schema;
import io.storecap.service.Stores;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference service's settings for a run, in one place: what {@link RunHarness} starts it with,
 * and what {@code ./storecap env up --service} starts it with, so a study against the service env up
 * started ({@code study --target}) and a local study of the same configuration run the same service.
 */
public final class ServiceSettings {
    private ServiceSettings() {}

    /** The service options the harness carries out itself rather than the service (cron jobs beside the pooler). */
    static final List<String> HARNESS_OPTIONS = List.of("cron-jobs");

    /** The service's {@code --key=value} settings of a run, less the database's (URL, role) and the secrets. */
    public static Map<String, String> of(RunConfig config) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mode", config.mode().id());
        m.put("connection-limit", String.valueOf(config.connectionLimit()));
        m.put("idle-ttl-ms", String.valueOf(Math.round(config.idleTtlSeconds() * 1000)));
        m.put("cold-start-ms", String.valueOf(config.coldStartMs()));
        m.put("function-ms", String.valueOf(config.functionMs()));
        m.put("db-latency-ms", String.valueOf(config.dbLatencyMs()));
        Map<String, String> options = new LinkedHashMap<>(config.serviceOptions());
        if (RunHarness.CRON.equals(options.get("pattern"))) {
            options.remove("pattern");
            HARNESS_OPTIONS.forEach(options::remove);
        }
        m.putAll(options);
        return m;
    }

    /**
     * The service {@code env up --service} starts beside the database: the configuration of a local
     * knee search of {@code tier} on {@code route} under the study's settings and runtime (the
     * default, or {@code runtime}) at time scale 1, the search's stores seeded with the profile's
     * store sizes.
     *
     * @param stores stores to seed; null = as many as the search seeds
     */
    public static EnvUp.ServiceSpec forEnvUp(Study.Inputs in, String tierId, Route route, String runtime, boolean quick, Integer stores,
                                             Path envFile) {
        StudyConfig study = StudyConfig.load(in.study());
        Map<String, Tier> tiers = TiersFile.load(in.tiers());
        Tier tier = tiers.get(tierId);
        if (tier == null) throw new IllegalArgumentException("unknown tier '" + tierId + "' in " + in.tiers() + ": use one of " + String.join(", ", tiers.keySet()));
        RunConfig cfg = study.searchConfig(new Claim("env-up", tierId, route, ClaimedRange.of(1, null), null), tier, quick);
        if (in.runtimes() != null && Files.exists(in.runtimes()))
            cfg = RuntimesFile.load(in.runtimes()).select(runtime == null ? List.of() : List.of(runtime)).get(0).applyTo(cfg);
        else if (runtime != null)
            throw new IllegalArgumentException("--runtime " + runtime + ": no runtimes file at " + in.runtimes() + "; pass --runtimes FILE");
        if ("on".equals(cfg.serviceOptions().get("dashboard-cache")))
            throw new IllegalArgumentException("the study's service option dashboard-cache=on needs Redis, which env up does not start: set it off");
        if (cfg.serviceOptions().containsKey("pattern"))
            throw new IllegalArgumentException("env up --service starts the baseline service: remove the anti-pattern 'pattern' option");
        SearchSettings search = study.mode(quick).search();
        int n = stores != null ? stores : Math.min(search.maxStores(), search.seedStores());
        if (n < 1) throw new IllegalArgumentException("--stores must be >= 1, was " + n);
        double zipf = TrafficProfile.load(in.profile()).storeSizes().zipfExponent();
        boolean indexes = !"off".equals(cfg.serviceOptions().get("indexes"));
        String describe = (cfg.runtime() == null ? "the study's service settings" : "runtime " + cfg.runtime()) + ", " + cfg.mode().id()
                + ", connection_limit " + cfg.connectionLimit() + ", idle TTL " + ExternalTarget.num(cfg.idleTtlSeconds()) + " s, time scale 1";
        return new EnvUp.ServiceSpec(of(cfg), n, env -> seed(env, n, zipf, indexes), envFile, describe);
    }

    /** The schema and stores 1..n, as the harness seeds them, on the environment's direct route. */
    static String seed(DatabaseEnvironment env, int n, double zipf, boolean indexes) {
        try (Connection c = env.appConnection()) {
            Schema.create(c, indexes);
            Stores.SeedResult r = Stores.seed(c, n, 30, zipf);
            return r.stores() + " stores seeded (" + r.historyRows() + " analytics rows)";
        } catch (SQLException e) {
            throw new IllegalStateException("seeding " + n + " stores failed: " + e.getMessage(), e);
        }
    }
}

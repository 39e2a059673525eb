package io.storecap.cli;

import io.storecap.environment.DatabaseUrl;
import io.storecap.reports.Report;
import io.storecap.runner.ExternalTarget;
import io.storecap.runner.Study;
import io.storecap.runner.TargetStudy;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code study --target URL ...}: the study against a deployment someone runs. Secrets never go on the
 * command line (a process listing shows it): the app secret, the admin token and the database
 * password come from the environment ({@value #APP_SECRET}, {@value #ADMIN_TOKEN}, {@value #PG_PASSWORD})
 * or from a dotenv file ({@code --env-file}, e.g. the app's own .env).
 */
final class TargetOptions {
    static final String APP_SECRET = "SHOPIFY_API_SECRET", ADMIN_TOKEN = "STORECAP_ADMIN_TOKEN", PG_PASSWORD = "PGPASSWORD";

    @Option(names = "--target", paramLabel = "URL", description = "study your deployment at URL instead of the reference service (see README: Test your own deployment)")
    String target;
    @Option(names = "--allow-remote", description = "allow a --target or database that is not this machine") boolean allowRemote;
    @Option(names = "--db-url", paramLabel = "URL", description = "its database, read-only (postgresql://ROLE@host/db; password in the URL or PGPASSWORD)")
    String dbUrl;
    @Option(names = "--pooled-db-url", paramLabel = "URL", description = "its pooler: SHOW POOLS where the console answers") String pooledDbUrl;
    @Option(names = "--app-role", paramLabel = "ROLE", description = "the role the app connects as (default: --db-url's)") String appRole;
    @Option(names = "--routes", paramLabel = "FILE", description = "the route map (default config/routes.yaml)") Path routes;
    @Option(names = "--stores", paramLabel = "FILE", description = "its shop domains, one a line (default: the route map's stores query)") Path stores;
    @Option(names = "--max-rps", paramLabel = "N", description = "hard cap on requests a second (default ${DEFAULT-VALUE})",
            defaultValue = "" + (int) ExternalTarget.DEFAULT_MAX_RPS) double maxRps;
    @Option(names = "--cool-down", paramLabel = "S", description = "seconds without load before each level (default ${DEFAULT-VALUE})",
            defaultValue = "" + (int) ExternalTarget.DEFAULT_COOL_DOWN_SECONDS) double coolDown;
    @Option(names = "--max-level-seconds", paramLabel = "S",
            description = "longest measured part of a level (default: the study's, at least 120: at production rates a level needs 299 requests)")
    Double maxLevelSeconds;
    @Option(names = "--env-file", paramLabel = "FILE", description = "read SHOPIFY_API_SECRET, STORECAP_ADMIN_TOKEN, PGPASSWORD from this dotenv file")
    Path envFile;
    @Option(names = "--header", paramLabel = "'NAME: VALUE'", description = "a header sent with every request (repeatable), e.g."
            + " 'x-vercel-protection-bypass: ${VERCEL_BYPASS}'; ${VAR} is read from the environment or --env-file") List<String> headers = new ArrayList<>();
    @Option(names = "--plan", description = "print the plan (rates, duration, peak requests a second) and stop: nothing is sent") boolean plan;

    /** Whether the study goes to a deployment. */
    boolean given() {
        if (target == null && (plan || dbUrl != null || pooledDbUrl != null || allowRemote || stores != null || envFile != null || !headers.isEmpty()))
            throw new IllegalArgumentException("--plan, --db-url, --pooled-db-url, --allow-remote, --stores, --env-file and --header go with --target URL");
        return target != null;
    }

    /** Runs the study against the deployment (or prints its plan); null with --plan. */
    Report run(Path root, Study.Inputs in, Study.Options options, Path outDir) {
        return new TargetStudy(System.out).run(in, options, target(root, System.getenv()), outDir, plan);
    }

    /** The deployment as the runner takes it; checked before anything is contacted. */
    ExternalTarget target(Path root, Map<String, String> environment) {
        URI uri;
        try {
            uri = URI.create(target.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--target '" + target + "' is not a URL: write e.g. https://staging.example.com");
        }
        if (dbUrl == null) throw new IllegalArgumentException("--db-url is required with --target: the database the deployment uses"
                + " (postgresql://ROLE@host/db; storecap only reads it)");
        Map<String, String> env = new LinkedHashMap<>(environment);
        if (envFile != null) env.putAll(dotenv(envFile));
        Path routeMap = routes != null ? routes : root.resolve("config").resolve("routes.yaml");
        ExternalTarget t = new ExternalTarget(uri, allowRemote, DatabaseUrl.parse("--db-url", dbUrl),
                pooledDbUrl == null ? null : DatabaseUrl.parse("--pooled-db-url", pooledDbUrl), appRole, env.get(PG_PASSWORD), routeMap, stores,
                maxRps, coolDown, maxLevelSeconds, blankToNull(env.get(APP_SECRET)), blankToNull(env.get(ADMIN_TOKEN)), headers(headers, env));
        if (!Files.isRegularFile(routeMap)) throw new IllegalArgumentException("--routes " + routeMap + ": no such file");
        if (stores != null && !Files.isRegularFile(stores)) throw new IllegalArgumentException("--stores " + stores + ": no such file");
        return t;
    }

    private static final java.util.regex.Pattern VAR = java.util.regex.Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /** 'Name: value' pairs, ${VAR} in a value read from the environment (or --env-file), so a secret stays off the command line. */
    static Map<String, String> headers(List<String> given, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String h : given) {
            int colon = h.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("--header '" + h + "': write it as 'Name: value', e.g. 'x-vercel-protection-bypass: ${VERCEL_BYPASS}'");
            String name = h.substring(0, colon).strip();
            java.util.regex.Matcher m = VAR.matcher(h.substring(colon + 1).strip());
            StringBuilder value = new StringBuilder();
            while (m.find()) {
                String v = env.get(m.group(1));
                if (v == null) throw new IllegalArgumentException("--header " + name + ": ${" + m.group(1) + "} is not set; export it or put it in"
                        + " the --env-file");
                m.appendReplacement(value, java.util.regex.Matcher.quoteReplacement(v));
            }
            m.appendTail(value);
            if (out.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name)))
                throw new IllegalArgumentException("--header " + name + " is given twice; give each header once");
            out.put(name, value.toString());
        }
        return out;
    }

    /** KEY=VALUE lines (an optional "export ", quotes around the value, # comments), as .env files hold them. */
    static Map<String, String> dotenv(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                if (l.startsWith("export ")) l = l.substring("export ".length()).strip();
                int eq = l.indexOf('=');
                if (eq <= 0) continue;
                String v = l.substring(eq + 1).strip();
                if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'")))
                    v = v.substring(1, v.length() - 1);
                out.put(l.substring(0, eq).strip(), v);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--env-file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        return out;
    }

    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s; }
}

package io.storecap.simulations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.storecap.model.Json;
import io.storecap.model.RouteMap;
import io.storecap.model.RoutesFile;
import io.storecap.model.TrafficProfile;
import io.storecap.service.Stores;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

/**
 * The stair: an open workload whose arrival rate per request kind is stores x the profile's
 * per-store rate, held for a while at each store count. Every request is grouped under its level
 * ("L00250") so Gatling reports statistics per level. Webhooks are signed with the app secret and
 * delivered like Shopify delivers them ({@link WebhookDelivery}); the ledger records what was
 * acknowledged for reconciliation.
 *
 * <pre>mvn gatling:test -pl simulations -Dstorecap.levels=10,25,50 -Dstorecap.levelSeconds=20</pre>
 * It loads the service at {@code -Dstorecap.baseUrl}; the runner's LocalStairSimulation starts its
 * own Postgres (and PgBouncer), seeds, and starts the service, and stops everything at the end.
 */
public class StairSimulation extends Simulation {

    private final Scenario scenario = scenarioKind();
    private final SimulationSettings settings = scenario.adjust(SimulationSettings.fromSystemProperties(), System.getProperties());
    private final TrafficProfile profile = scenario.profile(TrafficProfile.load(settings.profile()), System.getProperties());
    private final StorePicker stores = new StorePicker(profile.storeSizes().zipfExponent());
    private final Target target = target(settings, profile);
    private final String baseUrl = target.baseUrl();
    private final String appSecret = target.appSecret();
    private final String adminToken = target.adminToken();
    private final LoadControl control = LoadControl.of(System.getProperty(LoadControl.PROPERTY));
    private final LevelClock clock = new LevelClock(levelPlan(settings));
    private final WebhookLedger ledger = new WebhookLedger("wh" + Long.toString(System.currentTimeMillis(), 36));
    private final List<String> topics = List.copyOf(profile.webhookTopics().keySet());
    private final RouteRequests routes = new RouteRequests(routeMap(profile), appSecret, adminToken);
    /** The hard cap on requests a second ({@code storecap.maxRps}); none unless set (a study against a deployment sets it). */
    private final RateCap cap = RateCap.of(System.getProperty(RateCap.PROPERTY));
    /** The shop domains of the deployment under load ({@code storecap.storesFile}); null: the seeded stores store-00001... */
    private final List<String> shops = shops(System.getProperty("storecap.storesFile"));

    private final HttpProtocolBuilder httpProtocol = http
            .baseUrl(baseUrl)
            .acceptHeader("application/json")
            .userAgentHeader("storecap")
            .headers(ExtraHeaders.decode(System.getProperty(ExtraHeaders.PROPERTY)))
            .shareConnections();

    private final LatencyRecorder recorder = new LatencyRecorder(clock.size());
    private final WebhookDelivery delivery = new WebhookDelivery(profile.shopify(), ledger, routes, maxScale(), this::measured);

    /**
     * Where the load goes and what ends with it.
     *
     * @param reconcile what the service stored against what the ledger says was acknowledged; null
     *                  when the service is not ours to read (written as reconciliation.json)
     * @param stop      stops what {@link #target} started; null when it started nothing
     */
    public record Target(String baseUrl, String appSecret, String adminToken,
                            java.util.function.Function<WebhookLedger, Object> reconcile, AutoCloseable stop) {}

    /**
     * The service under load: {@code storecap.baseUrl} with its secret and admin token. A subclass
     * may start its own service instead (the runner's LocalStairSimulation does). Called from a
     * field initialiser, so an override must not use the subclass's own fields.
     */
    protected Target target(SimulationSettings s, TrafficProfile profile) {
        if (s.baseUrl() == null)
            throw new IllegalArgumentException("-Dstorecap.baseUrl is required: the URL of a running service. To start Postgres,"
                    + " PgBouncer and the service locally instead, run mvn gatling:test -pl runner");
        return new Target(s.baseUrl(), s.appSecret(), s.adminToken(), null, null);
    }

    /**
     * The route map ({@code storecap.routes}, default config/routes.yaml: the reference service's),
     * checked to cover every kind the profile sends and to have the secrets its auth needs.
     */
    private RouteMap routeMap(TrafficProfile p) {
        java.nio.file.Path file = SimulationSettings.configFile(System.getProperty("storecap.routes"), RoutesFile.DEFAULT_NAME);
        RouteMap m = RoutesFile.load(file);
        m.checkCovers(p.kinds(), file.getFileName().toString());
        for (String kind : p.kinds()) {
            RouteMap.Auth a = m.route(kind).auth();
            String secret = a == RouteMap.Auth.ADMIN_TOKEN ? adminToken : a == RouteMap.Auth.NONE ? "-" : appSecret;
            if (secret == null || secret.isBlank())
                throw new IllegalArgumentException("kind '" + kind + "' is sent with auth " + a.id() + ", which needs " + a.secret()
                        + ": pass -Dstorecap." + (a == RouteMap.Auth.ADMIN_TOKEN ? "adminToken" : "appSecret") + "=...");
        }
        return m;
    }

    /** The shop domains of a stores file (one a line; blank lines and # comments skipped); null without one. */
    static List<String> shops(String file) {
        if (file == null || file.isBlank()) return null;
        try {
            List<String> out = Files.readAllLines(java.nio.file.Path.of(file)).stream().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            if (out.isEmpty()) throw new IllegalArgumentException("storecap.storesFile " + file + " lists no store");
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read storecap.storesFile " + file + ": " + e.getMessage());
        }
    }

    /** The shop of store n (1-based): the deployment's n-th store, else the seeded one; higher numbers wrap around. */
    private String shop(int n) {
        return shops != null ? shops.get((n - 1) % shops.size()) : Stores.domain(1 + (n - 1) % seeded);
    }

    /**
     * The levels to run: the plan file the knee search writes ({@code -Dstorecap.plan}: stores,
     * seconds, time scale, seed, per level), else the fixed stair of {@code storecap.levels} and
     * {@code storecap.levelSeconds} at time scale 1 with seeds from {@code storecap.seed}.
     */
    private static List<LevelPlan> levelPlan(SimulationSettings s) {
        String file = System.getProperty("storecap.plan");
        if (file != null && !file.isBlank()) return LevelPlan.read(java.nio.file.Path.of(file));
        String seed = System.getProperty("storecap.seed");
        long base;
        try {
            base = seed == null || seed.isBlank() ? System.nanoTime() : Long.parseLong(seed.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("storecap.seed must be a whole number, was '" + seed + "'");
        }
        return LevelPlan.stair(s.levels(), s.levelSeconds(), base);
    }

    /**
     * The scenario this class runs: the {@code storecap.scenario} property (default stair); the
     * Peak, Burst and Soak simulations fix it. Called from a field initialiser, so an override must
     * only return a constant.
     */
    protected Scenario scenarioKind() { return Scenario.parse(System.getProperty("storecap.scenario", "stair")); }

    /**
     * Puts the level (index and group name) and the store of the request into the session: a
     * store drawn by size, or the given one (1-based) for bursts.
     */
    private ChainBuilder enter(int fixedStore) {
        return exec(session -> {
            int i = clock.mark(System.currentTimeMillis());
            int n = clock.plan(i).stores();
            int store = fixedStore > 0 ? Math.min(fixedStore, n) : stores.pick(n, random(i).nextDouble());
            return session.set("levelIndex", i).set("level", LevelClock.groupName(i, n)).set("shop", shop(store))
                    .set("k", clock.plan(i).timeScale());
        });
    }

    private final java.util.Map<Integer, java.util.Random> randoms = new java.util.concurrent.ConcurrentHashMap<>();

    /** The level's seeded generator (store choices, arrival offsets); shared by Gatling's threads, so synchronized. */
    private java.util.Random random(int level) {
        return randoms.computeIfAbsent(level, i -> new java.util.Random(clock.plan(i).seed()) {
            @Override
            protected synchronized int next(int bits) { return super.next(bits); }
        });
    }

    /**
     * Sends a request and records its response time and outcome for the level. The response time
     * is Gatling's own; when no response came (a timeout) the time waited is recorded instead.
     */
    private ChainBuilder measured(String kind, HttpRequestActionBuilder request, int expected) {
        ChainBuilder send = exec(session -> session.remove("rt").remove("status").set("sentNs", System.nanoTime()))
                .exec(request.check(responseTimeInMillis().saveAs("rt"), status().saveAs("status"), status().is(expected)))
                .exec(session -> {
                    long rt = session.contains("rt") ? session.getLong("rt")
                            : (System.nanoTime() - session.getLong("sentNs")) / 1_000_000;
                    boolean ok = session.contains("status") && session.getInt("status") == expected;
                    recorder.record(session.getInt("levelIndex"), kind, rt, ok);
                    // live, production-equivalent like run.json: the time measured over the level's time scale
                    control.intervals().record(kind, Math.round(rt / session.getDouble("k")), ok);
                    return session;
                });
        if (cap == null) return send;
        // over the cap in this second: not sent (no status; a webhook attempt counts as failed and is retried later)
        return exec(session -> session.remove("status")).doIfOrElse(session -> cap.admit(System.currentTimeMillis())).then(send)
                .orElse(exec(session -> session));
    }

    /** One request of a kind as the route map says (not webhooks, which {@link WebhookDelivery} sends). */
    private ChainBuilder request(String kind) {
        return exec(session -> routes.prepare(kind, session, null))
                .exec(measured(kind, routes.request(kind), routes.endpoint(kind).status()));
    }

    /** One webhook event, delivered like Shopify (timeouts, retries on its schedule, a share redelivered under a new id). */
    private ChainBuilder webhook(String fixedTopic) { return delivery.webhook(fixedTopic, this::pickTopic); }

    private String pickTopic(double u) {
        double acc = 0;
        for (String t : topics) {
            acc += profile.webhookTopics().get(t);
            if (u < acc) return t;
        }
        return topics.get(topics.size() - 1);
    }

    private ChainBuilder requestOf(String kind) {
        return switch (kind) {
            case "webhook" -> webhook(null);
            default -> request(kind);
        };
    }

    /** Shopify's per-attempt timeout is fixed per request definition: the largest time scale of the plan stretches it. */
    private double maxScale() { return clock.plan().stream().mapToDouble(LevelPlan::timeScale).max().orElse(1); }

    /**
     * One scenario per request kind. Arrivals are a Poisson process drawn from the level's seed:
     * per second, a Poisson number of arrivals (rate = the kind's production rate at the level's
     * store count divided by its time scale; rising linearly through a settle level), each placed
     * uniformly within its second.
     */
    private List<PopulationBuilder> populations() {
        List<PopulationBuilder> out = new ArrayList<>();
        for (String kind : profile.kinds()) {
            ScenarioBuilder scn = scenario(kind)
                    .pause(session -> Duration.ofMillis(random(clock.index(System.currentTimeMillis())).nextInt(SLOT_MS)))
                    .exec(stopLoadGeneratorIf("a constraint clearly broke: the level ended early", session -> control.stopped()))
                    .exec(enter(0)).group("#{level}").on(requestOf(kind));
            List<OpenInjectionStep> steps = new ArrayList<>();
            for (int i = 0; i < clock.size(); i++) steps.addAll(poisson(kind, i));
            out.add(scn.injectOpen(steps));
        }
        if (scenario == Scenario.BURST) out.addAll(bursts());
        return out;
    }

    /**
     * In the middle of every level: a bulk product edit by the biggest store (its products/update
     * webhooks within bulkEditSeconds) and a flash sale at the second biggest (its storefront traffic
     * times flashSaleMultiplier for the second half of the level).
     */
    private List<PopulationBuilder> bursts() {
        TrafficProfile.Bursts b = profile.bursts();
        List<OpenInjectionStep> bulk = new ArrayList<>();
        List<OpenInjectionStep> flash = new ArrayList<>();
        for (int i = 0; i < clock.size(); i++) {
            LevelPlan p = clock.plan(i);
            long levelMs = p.millis();
            int n = p.stores();
            Duration half = Duration.ofMillis(levelMs / 2);
            Duration bulkLength = Duration.ofMillis(Math.min(levelMs / 2, Math.round(b.bulkEditSeconds() * 1000 * p.timeScale())));
            // the second biggest store's usual storefront traffic, times the multiplier less the 1 already sent
            double flashRps = (b.flashSaleMultiplier() - 1) * stores.share(n, Math.min(2, n))
                    * (profile.rps("cart-event", n) + profile.rps("recommendations", n)) / p.timeScale();
            bulk.add(nothingFor(half));
            bulk.add(constantUsersPerSec(b.bulkEditWebhooks() / (b.bulkEditSeconds() * p.timeScale())).during(bulkLength));
            bulk.add(nothingFor(Duration.ofMillis(levelMs - half.toMillis() - bulkLength.toMillis())));
            flash.add(nothingFor(half));
            flash.add(constantUsersPerSec(Math.max(0.1, flashRps)).during(Duration.ofMillis(levelMs - half.toMillis())).randomized());
        }
        return List.of(
                scenario("bulk-edit").exec(enter(1)).group("#{level}").on(webhook("products/update")).injectOpen(bulk),
                scenario("flash-sale").exec(enter(2)).group("#{level}").on(request("recommendations")).injectOpen(flash));
    }

    private static final int SLOT_MS = 1000;

    /**
     * Stores seeded in the database ({@code storecap.seededStores}; all of them by default): a
     * search that reaches hundreds of thousands of stores seeds a few thousand and maps store n
     * onto ((n - 1) mod seeded) + 1. Zipf sizes put most traffic on the first stores anyway.
     */
    private final int seeded = Integer.getInteger("storecap.seededStores", Integer.MAX_VALUE);

    /** Level i's arrivals of one kind: per slot a Poisson count from the level's seed (and the kind), then the slot's rest. */
    private List<OpenInjectionStep> poisson(String kind, int i) {
        LevelPlan p = clock.plan(i);
        double rps = profile.rps(kind, p.stores()) / p.timeScale();
        org.apache.commons.math3.random.RandomGenerator g = new org.apache.commons.math3.random.Well19937c(p.seed() * 31 + kind.hashCode());
        List<OpenInjectionStep> steps = new ArrayList<>();
        boolean ramp = p.ramps();
        for (long t = 0; t < p.millis(); t += SLOT_MS) {
            long slot = Math.min(SLOT_MS, p.millis() - t);
            // a settle level ramps linearly from 0 to the rate, so the instance pool grows by need
            double mean = rps * slot / 1000.0 * (ramp ? (t + slot / 2.0) / p.millis() : 1);
            int n = mean <= 0 ? 0 : new org.apache.commons.math3.distribution.PoissonDistribution(g, mean,
                    org.apache.commons.math3.distribution.PoissonDistribution.DEFAULT_EPSILON,
                    org.apache.commons.math3.distribution.PoissonDistribution.DEFAULT_MAX_ITERATIONS).sample();
            if (n > 0) steps.add(atOnceUsers(n));
            steps.add(nothingFor(Duration.ofMillis(slot)));
        }
        return steps;
    }

    {
        if (cap != null) cap.check(clock.plan(), profile); // before anything is sent
        setUp(populations())
                .protocols(httpProtocol)
                .assertions(
                        global().responseTime().percentile(95.0).lt((int) Math.round(settings.p95Ms())),
                        global().failedRequests().percent().lt(settings.maxErrorPct()))
                // a hard stop so a stuck run cannot outlive its stair, after the last scheduled webhook retry
                .maxDuration(Duration.ofMillis(clock.totalMs() + delivery.horizonMs() + Math.round(30_000 * maxScale())));
    }

    @Override
    public void before() {
        clock.start(System.currentTimeMillis());
        control.started(clock);
    }

    @Override
    public void after() {
        control.ended();
        try {
            writeRunFiles();
        } finally {
            if (target.stop() != null) {
                try {
                    target.stop().close();
                } catch (Exception e) {
                    System.err.println("storecap: stopping the local service failed: " + e);
                }
            }
        }
    }

    /** levels.json and webhooks.json: what the model stage needs from the injector's side. */
    private void writeRunFiles() {
        try {
            Files.createDirectories(settings.runDir());
            ObjectNode levels = Json.JSON.createObjectNode();
            long ended = control.stopped() && control.stoppedAt() > 0 ? control.stoppedAt() : System.currentTimeMillis();
            levels.put("t0EpochMs", clock.t0());
            levels.put("stoppedEarly", control.stopped());
            if (cap != null) {
                levels.put("maxRps", cap.perSecond());
                levels.put("capped", cap.capped()); // requests not sent: their second was full
            }
            var arr = levels.putArray("levels");
            for (int i = 0; i < clock.size(); i++) {
                LevelPlan p = clock.plan(i);
                int stores = p.stores();
                ObjectNode l = arr.addObject();
                l.put("stores", stores);
                l.put("group", LevelClock.groupName(i, stores));
                l.put("startEpochMs", clock.t0() + clock.startMs(i));
                // a level stopped early ends when the load stopped (the rate is over the time it ran)
                l.put("endEpochMs", Math.max(clock.t0() + clock.startMs(i) + 1, Math.min(clock.t0() + clock.endMs(i), ended)));
                l.put("timeScale", p.timeScale());
                l.put("seed", p.seed());
                l.put("phase", p.phase());
                l.put("targetRps", profile.totalRps(stores));
                l.put("started", clock.started(i));
                l.set("requests", Json.JSON.valueToTree(recorder.level(i)));
                // the checklist reads intervals from the whole distribution (storecap.histograms=true)
                if (Boolean.getBoolean("storecap.histograms")) l.set("histograms", Json.JSON.valueToTree(recorder.histograms(i)));
            }
            Json.JSON.writeValue(settings.runDir().resolve("levels.json").toFile(), levels);
            Map<String, Object> webhooks = new java.util.LinkedHashMap<>(ledger.counts());
            webhooks.put("acknowledged", ledger.acknowledged()); // event ids
            Json.JSON.writeValue(settings.runDir().resolve("webhooks.json").toFile(), webhooks);
            if (ledger.inFlight() > 0)
                System.err.println("storecap: " + ledger.inFlight() + " webhook deliveries were still being retried when the run"
                        + " stopped; their events are not acknowledged and the reconciliation does not cover them");
            if (target.reconcile() != null)
                Json.JSON.writeValue(settings.runDir().resolve("reconciliation.json").toFile(), target.reconcile().apply(ledger));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the run files to " + settings.runDir() + ": " + e.getMessage(), e);
        }
    }
}

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
import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.Tier;
import io.storecap.service.SessionTokens;
import io.storecap.service.Stores;
import io.storecap.service.Webhooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

/**
 * The stair: an open workload whose arrival rate per request kind is stores x the profile's
 * per-store rate, held for a while at each store count. Every request is grouped under its level
 * ("L00250") so Gatling reports statistics per level. Webhooks are signed with the app secret and
 * retried like Shopify retries them; the ledger records what was acknowledged for reconciliation.
 *
 * <pre>mvn gatling:test -pl simulations -Dstorecap.levels=10,25,50 -Dstorecap.levelSeconds=20</pre>
 * Without {@code -Dstorecap.baseUrl} it starts its own Postgres (and PgBouncer with
 * {@code -Dstorecap.route=pooled}), seeds, and starts the service; everything stops at the end.
 */
public class StairSimulation extends Simulation {

    private final Scenario scenario = scenarioKind();
    private final SimulationSettings settings = scenario.adjust(SimulationSettings.fromSystemProperties(), System.getProperties());
    private final TrafficProfile profile = scenario.profile(TrafficProfile.load(settings.profile()), System.getProperties());
    private final StorePicker stores = new StorePicker(profile.storeSizes().zipfExponent());
    private final RunHarness harness = settings.baseUrl() == null ? startHarness(settings, profile) : null;
    private final String baseUrl = harness == null ? settings.baseUrl() : harness.baseUrl();
    private final String appSecret = harness == null ? require(settings.appSecret(), "storecap.appSecret") : harness.appSecret();
    private final String adminToken = harness == null ? require(settings.adminToken(), "storecap.adminToken") : harness.adminToken();
    private final LevelClock clock = new LevelClock(levelPlan(settings));
    private final WebhookLedger ledger = new WebhookLedger("wh" + Long.toString(System.currentTimeMillis(), 36));
    private final List<String> topics = List.copyOf(profile.webhookTopics().keySet());

    private final HttpProtocolBuilder httpProtocol = http
            .baseUrl(baseUrl)
            .acceptHeader("application/json")
            .userAgentHeader("storecap")
            .shareConnections();

    private final LatencyRecorder recorder = new LatencyRecorder(clock.size());

    /**
     * Set by the harness to end the load early once a level has clearly broken (the knee search
     * needs no more evidence past a failure); every scenario checks it before each request.
     */
    static final java.util.concurrent.atomic.AtomicBoolean STOP = new java.util.concurrent.atomic.AtomicBoolean();

    /** When {@link #STOP} was set: the level ends there (Gatling's shutdown after it sends nothing more). */
    static final java.util.concurrent.atomic.AtomicLong STOPPED_AT = new java.util.concurrent.atomic.AtomicLong();

    /** Ends the load now (the level has clearly failed). */
    static void stopNow() {
        STOPPED_AT.compareAndSet(0, System.currentTimeMillis());
        STOP.set(true);
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
            return session.set("levelIndex", i).set("level", LevelClock.groupName(i, n)).set("shop", Stores.domain(1 + (store - 1) % seeded))
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
        return exec(session -> session.remove("rt").remove("status").set("sentNs", System.nanoTime()))
                .exec(request.check(responseTimeInMillis().saveAs("rt"), status().saveAs("status"), status().is(expected)))
                .exec(session -> {
                    long rt = session.contains("rt") ? session.getLong("rt")
                            : (System.nanoTime() - session.getLong("sentNs")) / 1_000_000;
                    boolean ok = session.contains("status") && session.getInt("status") == expected;
                    recorder.record(session.getInt("levelIndex"), kind, rt, ok);
                    return session;
                });
    }

    private final ChainBuilder cartEvent = exec(session -> {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String type = r.nextDouble() < 0.6 ? "add_to_cart" : r.nextBoolean() ? "view" : "checkout";
        return session.set("eventBody", "{\"shop\":\"" + session.getString("shop") + "\",\"type\":\"" + type
                + "\",\"productId\":\"p" + r.nextInt(40) + "\",\"cartValue\":" + r.nextInt(20, 300) + "}");
    }).exec(measured("cart-event", http("cart-event").post("/proxy/events")
            .header("Content-Type", "application/json")
            .body(StringBody("#{eventBody}")), 201));

    private final ChainBuilder recommendations = measured("recommendations", http("recommendations")
            .get("/proxy/recommendations?shop=#{shop}"), 200);

    /** A merchant admin page load: the embedded app's session token (a JWT signed with the app secret) and the session lookup. */
    private final ChainBuilder adminSession = exec(session -> session.set("sessionToken",
            SessionTokens.sign(session.getString("shop"), appSecret, Duration.ofMinutes(1))))
            .exec(measured("admin-session", http("admin-session")
                    .get("/admin/session")
                    .header("Authorization", "Bearer #{sessionToken}"), 200));

    private final ChainBuilder dashboard = exec(session -> session.set("page", 1 + ThreadLocalRandom.current().nextInt(3)))
            .exec(measured("dashboard", http("dashboard")
                    .get("/superadmin/dashboard?page=#{page}")
                    .header("X-Admin-Token", adminToken), 200));

    /** One webhook, delivered like Shopify: a timeout per attempt, retries with backoff, same id. */
    private ChainBuilder webhook(String fixedTopic) {
        TrafficProfile.Shopify shopify = profile.shopify();
        return exec(session -> {
            String id = ledger.next();
            String topic = fixedTopic != null ? fixedTopic : pickTopic(ThreadLocalRandom.current().nextDouble());
            String orderId = id.substring(id.lastIndexOf('-') + 1);
            // the line item names the webhook: its effect row in CartAnalytics can then be reconciled with it
            String body = "{\"id\":" + orderId + ",\"total_price\":\"" + ThreadLocalRandom.current().nextInt(10, 400)
                    + ".00\",\"line_items\":[{\"product_id\":\"" + id + "\"}]}";
            return session.set("webhookId", id).set("topic", topic).set("webhookBody", body).set("attempt", 0)
                    .remove("acked").set("hmac", Webhooks.sign(body.getBytes(StandardCharsets.UTF_8), appSecret));
        }).asLongAs(session -> !session.contains("acked") && session.getInt("attempt") < shopify.maxAttempts()).on(
                doIf(session -> session.getInt("attempt") > 0).then(
                        pause(session -> Duration.ofMillis(Math.round(backoff(shopify, session.getInt("attempt")) * session.getDouble("k"))))),
                exec(session -> {
                    ledger.attempt();
                    return session.set("attempt", session.getInt("attempt") + 1);
                }),
                measured("webhook", http("webhook").post("/webhooks/#{topic}")
                        .header("Content-Type", "application/json")
                        .header("X-Shopify-Topic", "#{topic}")
                        .header("X-Shopify-Hmac-Sha256", "#{hmac}")
                        .header("X-Shopify-Shop-Domain", "#{shop}")
                        .header("X-Shopify-Webhook-Id", "#{webhookId}")
                        .body(StringBody("#{webhookBody}"))
                        .requestTimeout(Duration.ofMillis(Math.round(shopify.timeoutSeconds() * 1000 * maxScale()))), 200),
                exec(session -> {
                    if (session.contains("status") && session.getInt("status") == 200) {
                        ledger.ack(session.getString("webhookId"));
                        return session.set("acked", true);
                    }
                    return session;
                }));
    }

    private static long backoff(TrafficProfile.Shopify s, int attempt) {
        List<Long> b = s.backoffMs();
        return b.get(Math.min(attempt - 1, b.size() - 1));
    }

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
            case "cart-event" -> cartEvent;
            case "recommendations" -> recommendations;
            case "admin-session" -> adminSession;
            case "dashboard" -> dashboard;
            case "webhook" -> webhook(null);
            default -> throw new IllegalArgumentException("no request for kind " + kind);
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
                    .exec(stopLoadGeneratorIf("a constraint clearly broke: the level ended early", session -> STOP.get()))
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
                scenario("flash-sale").exec(enter(2)).group("#{level}").on(recommendations).injectOpen(flash));
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
        boolean ramp = LevelPlanner.ramps(p);
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
        setUp(populations())
                .protocols(httpProtocol)
                .assertions(
                        global().responseTime().percentile(95.0).lt((int) Math.round(settings.p95Ms())),
                        global().failedRequests().percent().lt(settings.maxErrorPct()))
                // a hard stop so a stuck run cannot outlive its stair
                .maxDuration(Duration.ofMillis(clock.totalMs() + Math.round(30_000 * maxScale())));
    }

    /** The clock of the simulation running in this JVM, for progress reports; null between runs. */
    static volatile LevelClock current;

    @Override
    public void before() {
        STOP.set(false);
        STOPPED_AT.set(0);
        clock.start(System.currentTimeMillis());
        current = clock;
    }

    @Override
    public void after() {
        current = null;
        try {
            writeRunFiles();
        } finally {
            if (harness != null) harness.close();
        }
    }

    /** levels.json and webhooks.json: what the model stage needs from the injector's side. */
    private void writeRunFiles() {
        try {
            Files.createDirectories(settings.runDir());
            ObjectNode levels = Json.JSON.createObjectNode();
            long ended = STOP.get() && STOPPED_AT.get() > 0 ? STOPPED_AT.get() : System.currentTimeMillis();
            levels.put("t0EpochMs", clock.t0());
            levels.put("stoppedEarly", STOP.get());
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
            }
            Json.JSON.writeValue(settings.runDir().resolve("levels.json").toFile(), levels);
            Json.JSON.writeValue(settings.runDir().resolve("webhooks.json").toFile(), Map.of(
                    "prefix", ledger.prefix(), "sent", ledger.sent(), "attempts", ledger.attempts(),
                    "acknowledged", ledger.acknowledged()));
            if (harness != null) {
                Json.JSON.writeValue(settings.runDir().resolve("reconciliation.json").toFile(), harness.webhooks().reconcile(ledger));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the run files to " + settings.runDir() + ": " + e.getMessage(), e);
        }
    }

    private static RunHarness startHarness(SimulationSettings s, TrafficProfile profile) {
        int max = s.maxConnections();
        Tier tier = new Tier("local-" + max, "local, " + max + " connections", max, 3, 0, 10000, 0, null);
        // the service holds connections as the study's does (config/study.yaml), with its quick TTL
        StudyConfig study = StudyConfig.load(SimulationSettings.configFile(System.getProperty("storecap.study"), "study.yaml"));
        RunConfig cfg = new RunConfig("gatling-" + s.route(), tier, Route.parse(s.route()), study.mode(), study.connectionLimit(),
                study.quick().idleTtlSeconds(), study.coldStartMs(), s.levels(), s.levelSeconds(),
                Math.min(5, s.levelSeconds() / 3), "local", study.functionMs(), study.dbLatencyMs(), study.serviceOptions());
        return RunHarness.start(cfg, profile, s.levels().get(s.levels().size() - 1), s.runDir());
    }


    private static String require(String v, String key) {
        if (v == null || v.isBlank())
            throw new IllegalArgumentException("-D" + key + " is required when -Dstorecap.baseUrl points at a running service");
        return v;
    }
}

package io.storecap.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.storecap.service.Http.HttpError;
import io.storecap.service.Http.Request;
import io.storecap.service.Http.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference Cart Uplift service: HTTP on 127.0.0.1, the Cart Uplift endpoints, and the
 * serverless or server connection model in front of Postgres or PgBouncer.
 */
public final class ReferenceService implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm on, the client's
        // delayed ACK stalls every keep-alive response ~40 ms. Read once, when the server classes load.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    private static final Logger log = LoggerFactory.getLogger(ReferenceService.class);

    private final ServiceConfig cfg;
    private final Metrics metrics = new Metrics();
    private final TimeScale scale = new TimeScale();
    private final HttpServer http;
    private final ExecutorService requestThreads;
    private final ExecutorService fanOut;
    private final InstancePool instances;
    private final ServerPool serverPool;
    private final CartUpliftApi api;
    private final AntiPatterns patterns;
    private final WebhookQueue queue;
    private final DashboardCache cache;
    /** client-per-request in server mode: the clients requests built, closed only when the process stops. */
    private final List<LazyPool> serverClients = new CopyOnWriteArrayList<>();
    private final Properties props;

    private ReferenceService(ServiceConfig cfg) throws IOException, SQLException {
        this.cfg = cfg;
        props = connectionProperties(cfg);
        try (Connection c = new org.postgresql.Driver().connect(cfg.effectiveJdbcUrl(), props)) {
            if (c == null) throw new SQLException("pgjdbc did not accept the url " + ServiceConfig.mask(cfg.jdbcUrl()), "08001");
            Schema.create(c, cfg.indexes());
            if (!cfg.indexes()) Schema.dropIndexes(c);
        }
        // Requests block on the database, so threads, not cores, bound concurrency; the platform
        // (Vercel) would run each concurrent request in its own instance anyway.
        requestThreads = new ThreadPoolExecutor(16, 4096, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemon("http"), new ThreadPoolExecutor.CallerRunsPolicy());
        fanOut = Executors.newCachedThreadPool(daemon("fan-out"));
        if (cfg.mode().equals("serverless")) {
            instances = new InstancePool(cfg, props, metrics, scale);
            serverPool = null;
        } else {
            instances = null;
            serverPool = new ServerPool(cfg, props, metrics, scale);
            metrics.gauges(() -> 1, () -> metrics.inflight.get() > 0 ? 1 : 0, serverPool::openConnections);
        }
        patterns = new AntiPatterns(cfg.antiPattern(), metrics, scale);
        cache = DashboardCache.of(cfg.cache(), metrics);
        queue = cfg.webhooks().queued() ? new WebhookQueue(cfg, props, metrics, scale, fanOut,
                (c, topic, shop, payload) -> WebhookApi.applyEffect(patterns, c, topic, shop, payload), this::invokeStep) : null;
        api = new CartUpliftApi(cfg, metrics, patterns, queue, cache);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), cfg.port()), 1024);
        http.setExecutor(requestThreads);
        http.createContext("/", this::dispatch);
        http.start();
    }

    /** Starts the service; the port is {@link #port()} when the config asked for 0. */
    public static ReferenceService start(ServiceConfig cfg) throws IOException, SQLException {
        return new ReferenceService(cfg);
    }

    public int port() { return http.getAddress().getPort(); }

    public Metrics metrics() { return metrics; }

    static Properties connectionProperties(ServiceConfig cfg) {
        Properties p = new Properties();
        p.setProperty("user", cfg.dbUser());
        p.setProperty("password", cfg.dbPassword());
        p.setProperty("ApplicationName", "storecap-service");
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "30");
        p.setProperty("tcpKeepAlive", "true");
        return p;
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void dispatch(HttpExchange ex) {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        Response resp;
        boolean counted = !path.equals("/metrics") && !path.equals("/healthz"); // the sampler's polls are not load
        if (counted) metrics.enter();
        try {
            resp = route(ex, method, path);
        } catch (HttpError e) {
            resp = Response.json(e.status, Map.of("error", e.getMessage()));
        } catch (Failure.InstanceLimitException e) {
            metrics.failure(Failure.INSTANCE_LIMIT);
            resp = Response.json(503, Map.of("error", Failure.INSTANCE_LIMIT.id, "message", e.getMessage()));
        } catch (Exception e) {
            Failure f = Failure.classify(e);
            metrics.failure(f);
            if (f == Failure.DB_ERROR) log.warn("{} {} failed", method, path, e);
            resp = Response.json(f.status, Map.of("error", f.id, "message", String.valueOf(e.getMessage())));
        } finally {
            if (counted) metrics.exit();
        }
        try (OutputStream out = ex.getResponseBody()) {
            ex.getResponseHeaders().set("Content-Type", resp.contentType());
            ex.sendResponseHeaders(resp.status(), resp.body().length == 0 ? -1 : resp.body().length);
            out.write(resp.body());
        } catch (IOException e) {
            // the client went away; nothing to tell it
        } finally {
            ex.close();
        }
    }

    private Response route(HttpExchange ex, String method, String path) throws Exception {
        // platform endpoints: no function instance, no database
        if (path.equals("/metrics") && method.equals("GET")) return Response.json(200, metrics.snapshot());
        if (path.equals("/healthz")) return Response.json(200, Map.of("ok", true));
        if (path.equals("/internal/time-scale") && method.equals("POST")) return timeScale(ex);
        if (path.equals("/internal/deploy") && method.equals("POST")) return deploy(ex);
        if (path.equals("/internal/fidelity") && method.equals("POST")) return FidelityProbe.handle(ex, cfg.adminToken(), instances, fanOut);

        Request req = new Request(method, path, Http.parseQuery(ex.getRequestURI().getRawQuery()), ex,
                method.equals("POST") || method.equals("PUT") ? Http.readBody(ex.getRequestBody(), cfg.maxBodyBytes()) : new byte[0]);
        CartUpliftApi.Endpoint ep = api.endpoint(method, path);
        metrics.request(ep.name());
        return invoke(req, ep);
    }

    /**
     * {@code POST /internal/time-scale?k=F[&idle-ttl-ms=T]} (admin token): every emulated duration
     * becomes F times its production value from now on (the idle TTL, production-equivalent, set to T
     * when given), and every function instance is retired with its connections, so the next level
     * starts from nothing. The harness calls it between levels.
     */
    private Response timeScale(HttpExchange ex) {
        CartUpliftApi.requireAdmin(ex.getRequestHeaders().getFirst("X-Admin-Token"), cfg.adminToken());
        String k = Http.parseQuery(ex.getRequestURI().getRawQuery()).get("k");
        if (k == null) throw new HttpError(400, "time-scale needs ?k=<factor>, e.g. ?k=2.5");
        String ttl = Http.parseQuery(ex.getRequestURI().getRawQuery()).get("idle-ttl-ms");
        try {
            scale.set(Double.parseDouble(k));
            if (ttl != null) scale.overrideIdleTtlMs(Double.parseDouble(ttl));
        } catch (NumberFormatException e) {
            throw new HttpError(400, "k and idle-ttl-ms must be numbers, was k='" + k + "', idle-ttl-ms='" + ttl + "'");
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, e.getMessage());
        }
        if (instances != null) instances.retireAll();
        metrics.timeScale(scale.k());
        return Response.json(200, Map.of("timeScale", scale.k()));
    }

    /**
     * {@code POST /internal/deploy} (admin token): a new deployment goes live. Every function
     * instance is retired at once (in-flight requests finish on their old instance), the next
     * requests cold start new ones, and the old instances' connections follow the zombie hold
     * ({@code --zombie-hold-ms}). Counted as {@code deploys} in /metrics.
     */
    private Response deploy(HttpExchange ex) {
        CartUpliftApi.requireAdmin(ex.getRequestHeaders().getFirst("X-Admin-Token"), cfg.adminToken());
        if (instances == null)
            throw new HttpError(409, "a deploy retires function instances, and --mode=server has none; use --mode=serverless");
        instances.deploy();
        log.info("deploy {}: every function instance retired; old connections linger {} ms", metrics.deploys.sum(),
                cfg.runtime().zombieHoldMs());
        return Response.json(200, Map.of("deploys", metrics.deploys.sum()));
    }

    /** Runs a handler as a function invocation: on a warm or cold instance, or on the shared pool. */
    private Response invoke(Request req, CartUpliftApi.Endpoint ep) throws Exception {
        if (instances == null) {
            functionWork();
            ConnectionSource source = serverPool;
            if (patterns.is(ServiceConfig.Pattern.CLIENT_PER_REQUEST)) {
                LazyPool client = new LazyPool(cfg.effectiveJdbcUrl(), props, cfg.effectiveConnectionLimit(), cfg.poolTimeoutMs(),
                        cfg.dbLatencyMs(), scale, metrics);
                serverClients.add(client);
                metrics.clientsCreated.increment();
                source = client;
            }
            patterns.maybeLeak(source);
            return ep.handler().handle(req, new Db(source, fanOut));
        }
        InstancePool.Instance inst = instances.acquire();
        try {
            functionWork();
            ConnectionSource source = patterns.is(ServiceConfig.Pattern.CLIENT_PER_REQUEST) ? instances.newRequestClient(inst) : inst.pool;
            patterns.maybeLeak(source);
            return ep.handler().handle(req, new Db(source, fanOut));
        } finally {
            instances.release(inst);
        }
    }

    /**
     * A queue step as a function invocation ({@code --webhook-consumer=functions}): Inngest calls the
     * app's serve endpoint, so the step runs where a request would, on a warm or cold instance with
     * the instance's pool (or on the server pool), and not as a request counted in /metrics.
     */
    private <T> T invokeStep(WebhookQueue.Step<T> step) throws Exception {
        if (instances == null) {
            functionWork();
            return step.run(new Db(serverPool, fanOut));
        }
        InstancePool.Instance inst = instances.acquire();
        try {
            functionWork();
            return step.run(new Db(inst.pool, fanOut));
        } finally {
            instances.release(inst);
        }
    }

    /** The function's own work outside the database: the instance is busy, no connection is held. */
    private void functionWork() throws InterruptedException {
        if (cfg.functionMs() > 0) TimeUnit.MICROSECONDS.sleep(scale.micros(cfg.functionMs()));
    }

    @Override
    public void close() {
        http.stop(0);
        if (queue != null) queue.close();
        patterns.close();
        requestThreads.shutdownNow();
        fanOut.shutdownNow();
        if (instances != null) instances.close();
        if (serverPool != null) serverPool.close();
        serverClients.forEach(LazyPool::close);
        if (cache != null) cache.close();
    }
}

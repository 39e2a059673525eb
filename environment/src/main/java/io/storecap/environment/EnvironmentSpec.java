package io.storecap.environment;

import io.storecap.model.Tier;

import java.util.Objects;

/**
 * What a run needs from its database environment. Immutable: each {@code withX} returns a copy;
 * every check is in the constructor, so a bad spec fails before anything starts.
 * <pre>{@code
 * EnvironmentSpec spec = EnvironmentSpec.forTier(tier).withProvider(Provider.CONTAINERS).withPooler(true);
 * try (DatabaseEnvironment env = Environments.start(spec)) { ... env.pgbouncer().appJdbcUrl() ... }
 * }</pre>
 *
 * @param provider           where Postgres and PgBouncer come from
 * @param maxConnections     max_connections the app experiences (the server runs with one more,
 *                           for the telemetry connection; see {@link LocalPostgres})
 * @param reserved           superuser_reserved_connections
 * @param pooler             whether to start PgBouncer (transaction mode)
 * @param poolSize           PgBouncer default_pool_size; 0 = 0.9 x maxConnections, as Neon does
 * @param maxClientConn      PgBouncer max_client_conn
 * @param preparedStatements keep server-side prepared statements through the pooler
 *                           (max_prepared_statements, see {@link PgBouncerVersion#PREPARED_STATEMENTS});
 *                           off = prepareThreshold=0
 * @param cpus               containers: Postgres' CPU limit in vCPUs (0.25 CU = 0.25); 0 = none
 * @param memoryMb           containers: Postgres' memory limit in MiB (0.25 CU = 1024); 0 = none
 * @param postgresImage      containers: the Postgres image (built by docker/build-images.sh)
 * @param pgbouncerImage     containers: the PgBouncer image
 * @param buildImages        auto/containers: run docker/build-images.sh when the images are missing
 * @param external           the external target; required for, and only used by, {@link Provider#EXTERNAL}
 */
public record EnvironmentSpec(Provider provider, int maxConnections, int reserved, boolean pooler, int poolSize,
                              int maxClientConn, boolean preparedStatements, double cpus, int memoryMb,
                              String postgresImage, String pgbouncerImage, boolean buildImages, External external) {

    public static final String POSTGRES_IMAGE = "storecap/postgres:17";
    public static final String PGBOUNCER_IMAGE = "storecap/pgbouncer:1.24";
    /** Neon: 1 compute unit = 1 vCPU and 4 GiB of memory. */
    public static final int MB_PER_COMPUTE_UNIT = 4096;

    public EnvironmentSpec {
        Objects.requireNonNull(provider, "provider");
        if (maxConnections < 5)
            throw new IllegalArgumentException("maxConnections must be >= 5, was " + maxConnections);
        if (reserved < 1 || reserved >= maxConnections)
            throw new IllegalArgumentException("reserved must be between 1 and maxConnections - 1 (telemetry needs one reserved slot), was "
                    + reserved + " with maxConnections " + maxConnections);
        if (poolSize < 0 || poolSize > maxConnections - reserved)
            throw new IllegalArgumentException("poolSize must be 0 (= 0.9 x maxConnections) or 1.." + (maxConnections - reserved)
                    + " (the app's usable connections), was " + poolSize);
        if (maxClientConn < 1) throw new IllegalArgumentException("maxClientConn must be >= 1, was " + maxClientConn);
        if (cpus < 0 || Double.isNaN(cpus)) throw new IllegalArgumentException("cpus must be >= 0 (0 = no limit), was " + cpus);
        if (cpus > 0 && cpus < 0.01) throw new IllegalArgumentException("cpus must be at least 0.01 (Docker's smallest quota), was " + cpus);
        if (memoryMb != 0 && memoryMb < 256)
            throw new IllegalArgumentException("memoryMb must be 0 (no limit) or >= 256 (Postgres needs its 128 MB of shared buffers and more), was " + memoryMb);
        if (postgresImage == null || postgresImage.isBlank()) postgresImage = POSTGRES_IMAGE;
        if (pgbouncerImage == null || pgbouncerImage.isBlank()) pgbouncerImage = PGBOUNCER_IMAGE;
        if (provider == Provider.EXTERNAL && external == null)
            throw new IllegalArgumentException("the external provider needs the target's JDBC URLs: withExternal(EnvironmentSpec.External.of(url, user, password))");
    }

    /** Defaults: provider auto, 100 connections with 3 reserved, no pooler, no limits. */
    public static EnvironmentSpec defaults() {
        return new EnvironmentSpec(Provider.AUTO, 100, 3, false, 0, 10000, true, 0, 0, POSTGRES_IMAGE, PGBOUNCER_IMAGE, false, null);
    }

    /**
     * A tier's sizes: max_connections, the reserve, the pooler's pool and client limit, and, for
     * tiers with Neon compute units, the CPU and memory of that size (1 CU = 1 vCPU, 4 GiB).
     */
    public static EnvironmentSpec forTier(Tier tier) {
        EnvironmentSpec s = defaults().withMaxConnections(tier.maxConnections(), tier.reserved())
                .withPoolSize(tier.poolerPoolSize()).withMaxClientConn(tier.poolerMaxClientConn());
        return tier.computeUnits() == null ? s : s.withComputeUnits(tier.computeUnits());
    }

    public EnvironmentSpec withProvider(Provider p) {
        return new EnvironmentSpec(p, maxConnections, reserved, pooler, poolSize, maxClientConn, preparedStatements, cpus, memoryMb,
                postgresImage, pgbouncerImage, buildImages, external);
    }

    /** max_connections and superuser_reserved_connections together (they constrain each other). */
    public EnvironmentSpec withMaxConnections(int max, int reservedSlots) {
        return new EnvironmentSpec(provider, max, reservedSlots, pooler, poolSize > max - reservedSlots ? 0 : poolSize, maxClientConn,
                preparedStatements, cpus, memoryMb, postgresImage, pgbouncerImage, buildImages, external);
    }

    public EnvironmentSpec withPooler(boolean on) {
        return new EnvironmentSpec(provider, maxConnections, reserved, on, poolSize, maxClientConn, preparedStatements, cpus, memoryMb,
                postgresImage, pgbouncerImage, buildImages, external);
    }

    public EnvironmentSpec withPoolSize(int n) {
        return new EnvironmentSpec(provider, maxConnections, reserved, pooler, n, maxClientConn, preparedStatements, cpus, memoryMb,
                postgresImage, pgbouncerImage, buildImages, external);
    }

    public EnvironmentSpec withMaxClientConn(int n) {
        return new EnvironmentSpec(provider, maxConnections, reserved, pooler, poolSize, n, preparedStatements, cpus, memoryMb,
                postgresImage, pgbouncerImage, buildImages, external);
    }

    public EnvironmentSpec withPreparedStatements(boolean keep) {
        return new EnvironmentSpec(provider, maxConnections, reserved, pooler, poolSize, maxClientConn, keep, cpus, memoryMb,
                postgresImage, pgbouncerImage, buildImages, external);
    }

    /** CPU (vCPUs) and memory (MiB) limits of the Postgres container; 0 = none. */
    public EnvironmentSpec withLimits(double vcpus, int memMb) {
        return new EnvironmentSpec(provider, maxConnections, reserved, pooler, poolSize, maxClientConn, preparedStatements, vcpus, memMb,
                postgresImage, pgbouncerImage, buildImages, external);
    }

    /** Neon compute units: 0.25 CU = 1/4 vCPU and 1 GiB; 1 CU = 1 vCPU and 4 GiB. */
    public EnvironmentSpec withComputeUnits(double cu) {
        if (!(cu > 0)) throw new IllegalArgumentException("compute units must be > 0, was " + cu);
        return withLimits(cu, (int) Math.round(cu * MB_PER_COMPUTE_UNIT));
    }

    public EnvironmentSpec withImages(String postgres, String pgbouncer) {
        return new EnvironmentSpec(provider, maxConnections, reserved, pooler, poolSize, maxClientConn, preparedStatements, cpus, memoryMb,
                postgres, pgbouncer, buildImages, external);
    }

    public EnvironmentSpec withBuildImages(boolean build) {
        return new EnvironmentSpec(provider, maxConnections, reserved, pooler, poolSize, maxClientConn, preparedStatements, cpus, memoryMb,
                postgresImage, pgbouncerImage, build, external);
    }

    /** An external target; also sets the provider to external. */
    public EnvironmentSpec withExternal(External target) {
        return new EnvironmentSpec(Provider.EXTERNAL, maxConnections, reserved, target != null && target.pooledUrl() != null,
                poolSize, maxClientConn, preparedStatements, cpus, memoryMb, postgresImage, pgbouncerImage, buildImages, target);
    }

    /** PgBouncer's default_pool_size as it will be applied. */
    public int effectivePoolSize() { return poolSize > 0 ? poolSize : (int) Math.floor(0.9 * maxConnections); }

    /**
     * The user's own deployment. storecap only reads from it (pg_stat_activity, SHOW settings)
     * unless {@code allowSchemaChanges}; a target that is not on this machine is refused unless
     * {@code allowRemote}, so a typo cannot point load at production.
     *
     * @param directUrl          JDBC URL of Postgres itself (required)
     * @param pooledUrl          JDBC URL of its pooler, or null
     * @param user               the app role
     * @param password           its password
     * @param adminUser          a role that can read pg_stat_activity for every role (superuser or
     *                           pg_read_all_stats); null = the app role (it then sees its own backends only)
     * @param adminPassword      its password
     * @param allowRemote        allow a target that is not loopback
     * @param allowSchemaChanges allow the harness to create the schema and seed stores; without it every
     *                           connection storecap opens there is read-only (the server refuses writes)
     * @param poolerUser         the login of the pooler's admin console (SHOW POOLS); null = the admin role
     * @param poolerPassword     its password
     */
    public record External(String directUrl, String pooledUrl, String user, String password, String adminUser,
                           String adminPassword, boolean allowRemote, boolean allowSchemaChanges, String poolerUser,
                           String poolerPassword) {
        public External {
            requireJdbc("directUrl", directUrl);
            if (pooledUrl != null && !pooledUrl.isBlank()) requireJdbc("pooledUrl", pooledUrl);
            else pooledUrl = null;
            if (user == null || user.isBlank()) throw new IllegalArgumentException("external target: the app role (user) is required");
            if (password == null) password = "";
            if (adminUser == null || adminUser.isBlank()) {
                adminUser = user;
                adminPassword = password;
            }
            if (adminPassword == null) adminPassword = "";
            if (poolerUser == null || poolerUser.isBlank()) {
                poolerUser = adminUser;
                poolerPassword = adminPassword;
            }
            if (poolerPassword == null) poolerPassword = "";
        }

        public static External of(String directUrl, String user, String password) {
            return new External(directUrl, null, user, password, null, null, false, false, null, null);
        }

        public External withPooledUrl(String url) {
            return new External(directUrl, url, user, password, adminUser, adminPassword, allowRemote, allowSchemaChanges, poolerUser, poolerPassword);
        }

        public External withAdmin(String u, String p) {
            boolean poolerAsAdmin = poolerUser.equals(adminUser);
            return new External(directUrl, pooledUrl, user, password, u, p, allowRemote, allowSchemaChanges,
                    poolerAsAdmin ? null : poolerUser, poolerAsAdmin ? null : poolerPassword);
        }

        /** The pooler's admin console login (SHOW POOLS), when it is not the admin role's. */
        public External withPoolerConsole(String u, String p) {
            return new External(directUrl, pooledUrl, user, password, adminUser, adminPassword, allowRemote, allowSchemaChanges, u, p);
        }

        public External withAllowRemote(boolean allow) {
            return new External(directUrl, pooledUrl, user, password, adminUser, adminPassword, allow, allowSchemaChanges, poolerUser, poolerPassword);
        }

        public External withAllowSchemaChanges(boolean allow) {
            return new External(directUrl, pooledUrl, user, password, adminUser, adminPassword, allowRemote, allow, poolerUser, poolerPassword);
        }

        private static void requireJdbc(String field, String url) {
            if (url == null || !url.startsWith("jdbc:postgresql://"))
                throw new IllegalArgumentException("external target: " + field + " must be a JDBC URL like"
                        + " jdbc:postgresql://127.0.0.1:5432/app, was " + url);
        }

        @Override
        public String toString() { // no passwords
            return "External[" + directUrl + (pooledUrl == null ? "" : ", pooled " + pooledUrl) + ", user " + user
                    + (allowRemote ? ", remote allowed" : "") + (allowSchemaChanges ? ", schema changes allowed" : "") + "]";
        }
    }
}

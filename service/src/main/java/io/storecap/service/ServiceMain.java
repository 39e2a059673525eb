package io.storecap.service;

import java.util.concurrent.CountDownLatch;

/**
 * {@code java -cp ... io.storecap.service.ServiceMain --jdbc-url=... --db-user=... --app-secret=... --admin-token=...}
 * Prints {@code LISTENING <port>} once it serves, so a parent process can wait for it, and stops
 * cleanly on SIGTERM / SIGINT.
 */
public final class ServiceMain {
    private ServiceMain() {}

    public static void main(String[] args) throws Exception {
        // the service's own logging setup, named so it cannot clash with a harness's logback.xml
        if (System.getProperty("logback.configurationFile") == null)
            System.setProperty("logback.configurationFile", "storecap-service-logback.xml");
        ServiceConfig cfg;
        try {
            cfg = ServiceConfig.parse(args, System.getenv());
        } catch (IllegalArgumentException | NullPointerException e) {
            System.err.println("storecap-service: " + e.getMessage());
            System.exit(2);
            return;
        }
        ReferenceService svc;
        try {
            svc = ReferenceService.start(cfg);
        } catch (java.sql.SQLException e) {
            System.err.println("storecap-service: cannot reach the database at " + ServiceConfig.mask(cfg.jdbcUrl()) + " as " + cfg.dbUser()
                    + ": " + e.getMessage() + " (is Postgres/PgBouncer running, and the role's password right?)");
            System.exit(3);
            return;
        } catch (java.net.BindException e) {
            System.err.println("storecap-service: port " + cfg.port() + " is in use; pass --port=0 for a free one");
            System.exit(4);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            svc.close();
            stopped.countDown();
        }, "service-shutdown"));
        System.out.println("LISTENING " + svc.port() + " " + cfg.describe());
        System.out.flush();
        stopped.await();
    }
}

package io.storecap.environment;

/**
 * Whether the containers provider can run here, and if not, what is missing and how to fix it.
 *
 * @param reachable     the Docker engine answers
 * @param imagesPresent storecap's Postgres and PgBouncer images exist locally
 * @param problem       what is missing (null when usable)
 * @param fix           what to do about it (null when usable)
 */
public record DockerStatus(boolean reachable, boolean imagesPresent, String problem, String fix) {
    public boolean usable() { return problem == null; }

    static DockerStatus ok() { return new DockerStatus(true, true, null, null); }

    /** One line for a log or an error: problem, then fix. */
    public String message() { return usable() ? "Docker is usable" : problem + ". " + fix; }
}

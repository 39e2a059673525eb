package io.storecap.environment;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A database URL as a user copies it from their provider's console ({@code postgresql://role:pw@host/db?sslmode=require},
 * Neon's and Prisma's form) or as JDBC takes it ({@code jdbc:postgresql://host:5432/db?sslmode=require}),
 * split into what storecap needs: where, who, and the parameters. Parsing looks up no name and opens
 * no socket, so a target can be refused before it is contacted.
 *
 * @param option     the option or setting it came from, for messages (--db-url)
 * @param host       host name or address, as written
 * @param port       port (5432 when not written)
 * @param database   database name ("postgres" when not written)
 * @param user       the role in the URL; null when it names none
 * @param password   its password in the URL; null when it gives none
 * @param parameters the query string (sslmode=require&...), "" for none
 */
public record DatabaseUrl(String option, String host, int port, String database, String user, String password, String parameters) {

    public static DatabaseUrl parse(String option, String url) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException(option + " is empty; give a URL like postgresql://role@host:5432/db");
        String rest = url.trim();
        if (rest.startsWith("jdbc:")) rest = rest.substring("jdbc:".length());
        URI u;
        try {
            u = URI.create(rest);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " is not a URL (" + e.getMessage() + "); write postgresql://role@host:5432/db");
        }
        if (!"postgresql".equals(u.getScheme()) && !"postgres".equals(u.getScheme()))
            throw new IllegalArgumentException(option + " must start with postgresql://, postgres:// or jdbc:postgresql://, was " + redacted(url));
        if (u.getHost() == null || u.getHost().isBlank())
            throw new IllegalArgumentException(option + " has no host (a list of hosts is not supported): " + redacted(url));
        String user = null, password = null;
        if (u.getRawUserInfo() != null) {
            String[] up = u.getRawUserInfo().split(":", 2);
            user = decode(up[0]);
            password = up.length > 1 ? decode(up[1]) : null;
        }
        String db = u.getPath() == null || u.getPath().length() <= 1 ? "postgres" : decode(u.getPath().substring(1));
        return new DatabaseUrl(option, u.getHost(), u.getPort() < 0 ? 5432 : u.getPort(), db, user, password,
                u.getRawQuery() == null ? "" : u.getRawQuery());
    }

    /** The JDBC URL, without credentials (pgjdbc takes them apart). */
    public String jdbc() { return "jdbc:postgresql://" + host + ":" + port + "/" + database + (parameters.isEmpty() ? "" : "?" + parameters); }

    /** host:port/database, for messages and the report. */
    public String where() { return host + ":" + port + "/" + database; }

    /** The URL with its password replaced by ***, for messages. */
    public static String redacted(String url) { return url == null ? null : url.replaceAll("(://[^:/@]+:)[^@]*@", "$1***@"); }

    private static String decode(String s) { return URLDecoder.decode(s, StandardCharsets.UTF_8); }

    @Override
    public String toString() { return "postgresql://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@") + where(); }
}

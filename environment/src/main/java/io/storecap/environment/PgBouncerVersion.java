package io.storecap.environment;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PgBouncer release, compared by number (1.3 &lt; 1.21 &lt; 1.24.1), and the one place that knows
 * from which release PgBouncer keeps server-side prepared statements in transaction mode.
 *
 * @param major e.g. 1
 * @param minor e.g. 24
 * @param patch e.g. 1 (0 when the text had none)
 */
public record PgBouncerVersion(int major, int minor, int patch) implements Comparable<PgBouncerVersion> {
    /** The first release that tracks prepared statements in transaction mode (max_prepared_statements). */
    public static final PgBouncerVersion PREPARED_STATEMENTS = new PgBouncerVersion(1, 21, 0);

    private static final Pattern EXACT = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})(?:\\.(\\d{1,9}))?");
    private static final Pattern IN_TEXT = Pattern.compile("(?<![\\d.])" + EXACT.pattern() + "(?![\\d.])");
    private static final Comparator<PgBouncerVersion> ORDER = Comparator.comparingInt(PgBouncerVersion::major)
            .thenComparingInt(PgBouncerVersion::minor).thenComparingInt(PgBouncerVersion::patch);

    public PgBouncerVersion {
        if (major < 0 || minor < 0 || patch < 0)
            throw new IllegalArgumentException("a version has no negative parts: " + major + "." + minor + "." + patch);
    }

    /** "1.21", "1.24.1" (surrounding blanks allowed); anything else is refused with the text in the message. */
    public static PgBouncerVersion parse(String text) {
        Matcher m = text == null ? null : EXACT.matcher(text.strip());
        if (m == null || !m.matches())
            throw new IllegalArgumentException("not a PgBouncer version (like 1.24.1): '" + text + "'");
        return of(m);
    }

    /**
     * The first version number in a line of text: {@code pgbouncer --version} ("PgBouncer 1.24.1
     * libevent ...") or the admin console's SHOW VERSION ("PgBouncer 1.24.1").
     */
    public static PgBouncerVersion find(String text) {
        Matcher m = text == null ? null : IN_TEXT.matcher(text);
        if (m == null || !m.find()) throw new IllegalArgumentException("no PgBouncer version in '" + text + "'");
        return of(m);
    }

    private static PgBouncerVersion of(Matcher m) {
        return new PgBouncerVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    public boolean atLeast(PgBouncerVersion other) { return compareTo(other) >= 0; }

    /** Whether this release can keep server-side prepared statements through a transaction pooler. */
    public boolean tracksPreparedStatements() { return atLeast(PREPARED_STATEMENTS); }

    /** The report's words for the prepared-statement setting a pooler runs with. */
    static String preparedStatementsText(boolean kept) {
        return kept ? "kept (PgBouncer >= " + PREPARED_STATEMENTS.major() + "." + PREPARED_STATEMENTS.minor() + ", max_prepared_statements)"
                : "off (prepareThreshold=0, as Prisma's pgbouncer=true)";
    }

    @Override
    public int compareTo(PgBouncerVersion o) { return ORDER.compare(this, o); }

    /** "1.24.1": the form the handles and the report have always carried. */
    @Override
    public String toString() { return major + "." + minor + "." + patch; }
}

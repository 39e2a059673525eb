package io.storecap.model.logs;

/**
 * The log formats {@code profile from-logs} reads, each with the option that names its files and
 * what a line must hold, so an error about a bad line can say what a good one looks like.
 */
public enum LogFormat {
    /** Vercel's log drain, one JSON object a line; requests are the lines with a {@code proxy} object. */
    VERCEL_NDJSON("vercel-ndjson", "--vercel",
            "each line must be a JSON object with timestamp (epoch ms) and proxy {timestamp (epoch ms), method, path, statusCode}"),
    /** A plain CSV of requests. */
    REQUESTS_CSV("requests-csv", "--requests",
            "the file must start with the header timestamp,method,path,status,shop and each line hold those columns"
                    + " (timestamp: epoch ms or ISO-8601; shop may be empty)"),
    /** Shopify webhook deliveries as the app's own webhook table exports them. */
    WEBHOOKS_CSV("webhooks-csv", "--webhooks",
            "the file must start with the header shop,topic,created_at and each line hold those columns"
                    + " (created_at: ISO-8601, e.g. 2024-11-29T19:03:11Z)");

    private final String id;
    private final String option;
    private final String expected;

    LogFormat(String id, String option, String expected) {
        this.id = id;
        this.option = option;
        this.expected = expected;
    }

    /** The name the provenance block uses: vercel-ndjson, requests-csv, webhooks-csv. */
    public String id() { return id; }

    /** The command-line option that names files of this format. */
    public String option() { return option; }

    /** What a good line looks like, said after the first bad one. */
    public String expected() { return expected; }
}

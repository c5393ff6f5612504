package io.botsync.sync;

/**
 * The headers {@code botsync:source} sets on every page's exchange, for ops' steps (file names, logs, filters). Named
 * like Camel components' own headers ({@code Camel...}), which Camel's HTTP and messaging endpoints do not send on.
 */
public final class PageHeaders {

    /** The account: {@code crm_user.source}. */
    public static final String SOURCE = "CamelBotsyncSource";
    /** The account's platform: {@code instabot}, {@code stepchat} or {@code mercury}. */
    public static final String PLATFORM = "CamelBotsyncPlatform";
    /** The run's {@code sync_run.id}; -1 in a dry run, which writes no row. */
    public static final String RUN_ID = "CamelBotsyncRunId";
    /** {@code incremental}, {@code full}, {@code replay} or {@code import}. */
    public static final String MODE = "CamelBotsyncMode";
    /** The page's number in its run: 1, 2, ... */
    public static final String PAGE = "CamelBotsyncPage";
    /** True on the page that completes the run's pass. */
    public static final String LAST_PAGE = "CamelBotsyncLastPage";
    /** What was asked of the platform for this page, without secrets. */
    public static final String REQUEST = "CamelBotsyncRequest";
    /** How many records the page holds. */
    public static final String RECORDS = "CamelBotsyncRecords";

    private PageHeaders() {
    }
}

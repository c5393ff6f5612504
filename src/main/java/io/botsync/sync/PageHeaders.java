package io.botsync.sync;

/** The headers {@code botsync:source} sets on every page's exchange, for ops' steps (file names, logs, filters). */
public final class PageHeaders {

    /** The account: {@code crm_user.source}. */
    public static final String SOURCE = "BotsyncSource";
    /** The account's platform: {@code instabot}, {@code stepchat} or {@code mercury}. */
    public static final String PLATFORM = "BotsyncPlatform";
    /** The run's {@code sync_run.id}; -1 in a dry run, which writes no row. */
    public static final String RUN_ID = "BotsyncRunId";
    /** {@code incremental}, {@code full}, {@code replay} or {@code import}. */
    public static final String MODE = "BotsyncMode";
    /** The page's number in its run: 1, 2, ... */
    public static final String PAGE = "BotsyncPage";
    /** True on the page that completes the run's pass. */
    public static final String LAST_PAGE = "BotsyncLastPage";
    /** What was asked of the platform for this page, without secrets. */
    public static final String REQUEST = "BotsyncRequest";
    /** How many records the page holds. */
    public static final String RECORDS = "BotsyncRecords";

    private PageHeaders() {
    }
}

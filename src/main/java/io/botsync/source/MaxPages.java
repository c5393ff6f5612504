package io.botsync.source;

/**
 * The loop guard every reader keeps besides its platform's own: a pass asks for at most
 * {@code botsync.<source>.max-pages} pages. Each platform's reader recognises the loops its paging can fall into (a
 * page sent again, a {@code startId} met before); this catches what none of them can see, such as a platform that
 * makes up new users on every page, so that a pass always ends.
 *
 * @param max the most pages one pass may ask for
 */
public record MaxPages(SourceConfig config, int max) {

    /** More pages than an account of ten million users needs at 100 a page. */
    public static final int DEFAULT = 100_000;

    public static MaxPages of(SourceConfig config) {
        int max = config.getInt("max-pages", DEFAULT);
        if (max < 1) {
            throw new IllegalArgumentException(config.key("max-pages") + " is " + max + "; it must be 1 or more");
        }
        return new MaxPages(config, max);
    }

    /**
     * @param page the number of the page a pass is about to ask for (1, 2, ...)
     * @throws SourceException when it is one more than the pass may ask for: the pass ends there, unfinished
     */
    public void check(int page) {
        if (page > max) {
            throw new SourceException(config.name() + ": this pass has read " + max + " pages and the platform says more"
                    + " follow; it stops here, unfinished, so no user is flagged deleted. If the platform is not paging in"
                    + " a loop and the account really is that large, raise " + config.key("max-pages"));
        }
    }
}

package io.botsync.warehouse;

import java.util.Locale;

/**
 * A completed full scan would flag more of a source's users deleted than its run allows: more likely a platform
 * answering with too little (a wrong project, a filter, an outage answered as an empty list) than people leaving.
 * The page's transaction is rolled back, so nobody is flagged and the scan stays unfinished.
 */
public final class MassDeleteRefused extends RuntimeException {

    MassDeleteRefused(String source, long unseen, long live, double maxShare) {
        super(String.format(Locale.ROOT, "this full scan would flag %d of %d users deleted (%.0f%%), more than the"
                + " mass-delete gate allows (%.0f%%, botsync.%s.mass-delete-share or botsync.mass-delete-share); none was"
                + " flagged. If they are really gone, run: botsync sync %s --full --allow-mass-delete",
                unseen, live, 100.0 * unseen / live, 100 * maxShare, source, source), null, false, false);
    }
}

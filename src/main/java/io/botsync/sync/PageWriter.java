package io.botsync.sync;

import io.botsync.warehouse.PageCounts;
import io.botsync.warehouse.PageWrite;
import io.botsync.warehouse.RawPage;
import io.botsync.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer of one source's pages for {@code botsync:warehouse}: pages are committed in the order they arrive, by
 * one task at a time on the endpoint's pool (one source's commits never overlap, so its cursors stay in order).
 *
 * <p>Group commit: when the writer falls behind, it takes every page of the same run already waiting (up to
 * {@code maxGroup}) into one transaction: one commit, and on PostgreSQL one WAL flush, for all. Rows and cursor still
 * commit together; the cursor is the last page's. Should one page fail, the group is committed again page by page,
 * so the pages before it land as they would have alone and the failure is that page's only.
 */
final class PageWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PageWriter.class);

    /** A page waiting for its commit, and the exchange to complete once it is done. */
    record Pending(PageTicket ticket, PageWrite write, Exchange exchange, AsyncCallback callback) {

        /** Prepared on the source's thread (the raw page compressed there), so the writer only writes. */
        static Pending of(MappedPage page, Exchange exchange, AsyncCallback callback) {
            FetchedPage fetched = page.fetched();
            PageTicket ticket = fetched.ticket();
            RunTracker run = ticket.run();
            RawPage raw = run.lands() ? RawPage.of(fetched.records(), fetched.request(), ticket.fetchedAt()) : null;
            PageWrite write = new PageWrite(run.runId(), run.source(), fetched.records().size() + fetched.unreadable().size(),
                    page.users(), page.rejections(), ticket.cursor(), ticket.scan(), raw, run.rewrite(), ticket.seenIds(),
                    ticket.range());
            return new Pending(ticket, write, exchange, callback);
        }

        RunTracker run() {
            return ticket.run();
        }
    }

    private final Warehouse warehouse;
    private final Executor executor;
    private final int maxGroup;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    PageWriter(Warehouse warehouse, Executor executor, int maxGroup) {
        this.warehouse = warehouse;
        this.executor = executor;
        this.maxGroup = maxGroup;
    }

    /** Queues a page; the source's {@code pagesInFlight} bounds how many wait. */
    void submit(Pending pending) {
        queue.add(pending);
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Pending head = queue.poll();
            if (head == null) {
                draining.set(false);
                // a page queued between the poll and the flag: drain it, unless another task just started to
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            // only this task takes from the queue, so a head it peeked at is still there to be polled
            List<Pending> group = new ArrayList<>();
            group.add(head);
            while (group.size() < maxGroup && queue.peek() != null && queue.peek().run() == head.run()) {
                group.add(queue.poll());
            }
            write(group);
        }
    }

    private void write(List<Pending> group) {
        RunTracker run = group.get(0).run();
        try (RunMdc mdc = RunMdc.of(run.source(), run.runId())) {
            write(group, run);
        }
    }

    private void write(List<Pending> group, RunTracker run) {
        try {
            commit(due(group, run), run);
        } catch (RuntimeException e) {
            run.fail(group.get(0).ticket().number(), run.source() + ": " + Failures.message(e));
        } finally {
            group.forEach(PageWriter::complete);
        }
    }

    /**
     * The pages of the group to commit: those in the run's order, up to a gap or a page that failed. A page already
     * committed (sent here a second time) is passed over; one ahead of the page due fails the run at the missing page.
     */
    private static List<Pending> due(List<Pending> group, RunTracker run) {
        List<Pending> due = new ArrayList<>();
        for (Pending pending : group) {
            PageTicket page = pending.ticket();
            int ahead = run.orderOf(page) - due.size();
            if (page.number() >= run.failedAt() || ahead < 0) {
                continue;
            }
            if (ahead > 0) {
                int missing = page.number() - ahead;
                String failure = run.source() + ": " + page + " reached botsync:warehouse before page " + missing
                        + ": a step between the stages dropped or reordered pages. The run stops before the missing page;"
                        + " the next run reads it again";
                run.fail(missing, failure);
                pending.exchange().setException(new IllegalStateException(failure));
                continue;
            }
            due.add(pending);
        }
        return due;
    }

    private void commit(List<Pending> due, RunTracker run) {
        if (due.isEmpty()) {
            return;
        }
        if (run.lockLost()) {
            // another process may hold the lock by now, and sync the source from the cursor committed last
            Pending first = due.get(0);
            String failure = run.source() + ": the warehouse dropped the connection holding this sync's lock (it went away,"
                    + " or the network to it): no page commits without the lock. The next run goes on from the last committed page";
            run.fail(first.ticket().number(), failure);
            first.exchange().setException(new IllegalStateException(failure));
            return;
        }
        if (due.size() > 1 && run.rehearsal() == null) {
            try {
                List<PageCounts> counts = warehouse.write(due.stream().map(Pending::write).toList());
                for (int i = 0; i < due.size(); i++) {
                    committed(due.get(i), counts.get(i));
                }
                return;
            } catch (RuntimeException e) {
                // a page of the group failed and took the others with it: commit them one by one below, so that the
                // pages before it land, as they would have without grouping, and the failure is that page's alone
                LOG.debug("{}: a group of {} pages failed; committing them one by one", run, due.size(), e);
            }
        }
        for (Pending pending : due) {
            try {
                PageCounts counts = run.rehearsal() == null ? warehouse.write(pending.write())
                        : run.rehearsal().write(pending.write());
                committed(pending, counts);
            } catch (RuntimeException e) {
                run.fail(pending.ticket().number(), run.source() + ": " + Failures.message(e));
                pending.exchange().setException(e);
                return;
            }
        }
    }

    private static void committed(Pending pending, PageCounts counts) {
        pending.run().committed(pending.ticket(), counts);
        pending.exchange().getMessage().setBody(counts);
    }

    private static void complete(Pending pending) {
        try {
            pending.callback().done(false);
        } catch (RuntimeException e) {
            LOG.warn("{}: completing its exchange failed: {}", pending.ticket(), e.toString());
        }
    }
}

package io.botsync.source;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

/**
 * The pages of one read fetched ahead of the one being read, for a platform whose next requests are known before the
 * current page is read (Instabot's {@code skip}, StepChat's {@code pagination}): up to {@link Concurrency#current()}
 * requests in flight, each on a fetch thread, handed out strictly in page order. The reader checks and commits pages in
 * that order exactly as it would one by one, so every guarantee of its paging holds; only the waiting overlaps.
 *
 * <p>The window is a reorder buffer of at most the concurrency's pages, so memory stays bounded. A page fetched on a guess
 * that turned out wrong (the read starts over, a page came back shorter than a full one, the read ended) is dropped
 * unread, after its request finished, so that no more than the concurrency's requests are ever in flight. With a
 * concurrency of 1 each page is fetched on the reader's own thread, as a plain sequential read.
 *
 * <p>Not thread-safe: one reader thread uses it; only the fetches run elsewhere.
 *
 * @param <T> a page as the platform's reader parses it (parsing runs on the fetch thread too)
 */
public final class FetchAhead<T> {

    private record Ahead<T>(long position, Future<T> page) {
    }

    private final ExecutorService threads;
    private final Concurrency concurrency;
    private final LongFunction<T> fetch;
    private final Deque<Ahead<T>> window = new ArrayDeque<>();

    FetchAhead(ExecutorService threads, Concurrency concurrency, LongFunction<T> fetch) {
        this.threads = threads;
        this.concurrency = concurrency;
        this.fetch = fetch;
    }

    /**
     * The page at {@code position}, and the window topped up with the pages expected after it: {@code position + step},
     * {@code + 2 × step}, ... up to the concurrency, none at or past {@code end}.
     *
     * @param step the distance to the next page when this one is full (for a short page the guess is wrong and dropped)
     * @param end  where no page is expected any more, as far as the platform said (a total); a read that goes further
     *             still reads every page, one at a time
     * @throws SourceException what the page's fetch threw
     */
    public T take(long position, long step, long end) {
        keepOnly(position, step);
        if (window.isEmpty() && concurrency.current() == 1) {
            return fetch.apply(position);
        }
        long next = window.isEmpty() ? position : window.peekLast().position() + step;
        while (window.size() < concurrency.current() && (window.isEmpty() || next < end)) {
            long at = next;
            window.add(new Ahead<>(at, threads.submit(() -> fetch.apply(at))));
            next += step;
        }
        return await(window.remove().page());
    }

    /** Drops every page fetched ahead: the read is over, or starts over. Waits for their requests to finish. */
    public void drop() {
        while (!window.isEmpty()) {
            try {
                window.remove().page().get();
            } catch (ExecutionException dropped) {
                // a page nobody reads any more: what it failed with does not matter
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                window.clear();
            }
        }
    }

    /** Keeps the pages fetched ahead while they are the ones expected from {@code position} on; drops the rest. */
    private void keepOnly(long position, long step) {
        long expected = position;
        int matching = 0;
        for (Ahead<T> ahead : window) {
            if (ahead.position() != expected) {
                break;
            }
            matching++;
            expected += step;
        }
        if (matching < window.size()) {
            Deque<Ahead<T>> kept = new ArrayDeque<>();
            for (int i = 0; i < matching; i++) {
                kept.add(window.remove());
            }
            drop();
            window.addAll(kept);
        }
    }

    private static <T> T await(Future<T> page) {
        try {
            return page.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure
                    : new SourceException("a page request failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while waiting for a page", e);
        }
    }
}

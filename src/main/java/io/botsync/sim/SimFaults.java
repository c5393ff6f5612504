package io.botsync.sim;

import com.sun.net.httpserver.HttpExchange;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults a simulator injects into the requests it receives, for tests of botsync's error handling: each queued
 * fault takes the next request, whatever its path; a hook runs before every request (to slow a simulator down or to
 * stop a test's process at a chosen request). The simulators' own behaviour is untouched otherwise.
 */
public final class SimFaults {

    /** One thing going wrong with one request. */
    public sealed interface Fault permits Status, Drop, Delay, Truncate, Chunked {
    }

    /** Answers with this status (and {@code Retry-After} when not null) instead of the page. */
    public record Status(int status, String retryAfter) implements Fault {
    }

    /** Closes the connection without an answer, as a reset or a crashed proxy does. */
    public record Drop() implements Fault {
    }

    /** Waits this long, then answers normally (a read timeout shorter than this fails the request). */
    public record Delay(Duration delay) implements Fault {
    }

    /** Answers the real page with 200 and its full length, but only its first bytes are JSON: the rest are spaces. */
    public record Truncate() implements Fault {
    }

    /** Answers the real page, but chunked, without a Content-Length, as a server that streams its answers does. */
    public record Chunked() implements Fault {
    }

    /** A hook run before each request; {@link #requests()} counts them. */
    public interface Hook {
        void before(int request) throws InterruptedException;
    }

    /** The exchange attribute that has {@link SimServer#respondBytes} send the answer chunked. */
    static final String CHUNKED = "botsync.sim.chunked";

    private final Deque<Fault> queued = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Hook hook = request -> { };

    /** The next requests, one fault each, in order. */
    public SimFaults next(Fault... faults) {
        synchronized (queued) {
            queued.addAll(java.util.List.of(faults));
        }
        return this;
    }

    /** {@code count} requests in a row with the same fault. */
    public SimFaults next(int count, Fault fault) {
        for (int i = 0; i < count; i++) {
            next(fault);
        }
        return this;
    }

    public SimFaults before(Hook hook) {
        this.hook = hook == null ? request -> { } : hook;
        return this;
    }

    /** Requests received so far. */
    public int requests() {
        return requests.get();
    }

    public int pending() {
        synchronized (queued) {
            return queued.size();
        }
    }

    /**
     * Applies the next fault to a request.
     *
     * @return true when the request was answered (or dropped) here and the handler must not run
     */
    boolean apply(HttpExchange exchange) throws IOException {
        try {
            hook.before(requests.incrementAndGet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
        Fault fault;
        synchronized (queued) {
            fault = queued.poll();
        }
        if (fault instanceof Status status) {
            if (status.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", status.retryAfter());
            }
            SimServer.respond(exchange, status.status(), Map.of("error", "injected fault: HTTP " + status.status()));
            return true;
        }
        if (fault instanceof Drop) {
            return true; // SimServer closes the exchange with nothing sent: the client sees the connection end

        }
        if (fault instanceof Delay delay) {
            try {
                Thread.sleep(delay.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        if (fault instanceof Chunked) {
            exchange.setAttribute(CHUNKED, true);
        }
        if (fault instanceof Truncate) {
            exchange.setStreams(null, new Truncating(exchange.getResponseBody()));
        }
        return false;
    }

    /** Passes the first bytes of a body, then spaces: the length the headers announced, but not JSON any more. */
    private static final class Truncating extends FilterOutputStream {

        private static final int KEEP = 24;
        private int written;

        Truncating(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(written++ < KEEP ? b : ' ');
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            byte[] copy = new byte[length];
            for (int i = 0; i < length; i++) {
                copy[i] = written++ < KEEP ? bytes[offset + i] : (byte) ' ';
            }
            out.write(copy);
        }
    }
}

package io.botsync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults a simulator injects into the requests it receives, for tests of botsync's error handling: each queued
 * fault takes the next request, whatever its path; a hook runs before every request (to slow a simulator down or to
 * stop a test's process at a chosen request); a rewrite changes what every answer says (a platform that lies). The
 * simulators' own behaviour is untouched otherwise.
 */
public final class SimFaults {

    /** One thing going wrong with one request. */
    public sealed interface Fault permits Status, Drop, Delay, Truncate, Chunked, Huge, Trickle {
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

    /**
     * Answers 200 with a body {@code bytes} long: the real page after as much whitespace as it takes, which is still
     * JSON. Streamed from a small buffer, never held whole; announced by its Content-Length, or {@code chunked}.
     */
    public record Huge(long bytes, boolean chunked) implements Fault {
    }

    /** Answers the real page one byte at a time, {@code interval} apart: each byte comes well within any read timeout. */
    public record Trickle(Duration interval) implements Fault {
    }

    /** Rewrites the JSON of an answer, as a platform that lies would send it; returns the answer to send instead. */
    @FunctionalInterface
    public interface Rewrite {
        JsonNode rewrite(Request request, JsonNode answer);
    }

    /** What a rewrite knows of the request it answers: its number (as {@link #requests()} counts), path and parameters. */
    public record Request(int number, String path, Map<String, String> parameters) {
    }

    /** A hook run before each request; {@link #requests()} counts them. */
    public interface Hook {
        void before(int request) throws InterruptedException;
    }

    /**
     * What {@link #send} needs of the request its thread answers: its fault and rewrite. Not exchange attributes: the
     * JDK 17 HTTP server keeps those per context, so that requests answered at the same time would share them. The
     * server answers each request on one thread, from {@link #began} to {@link #ended}.
     */
    private static final ThreadLocal<Answering> ANSWERING = new ThreadLocal<>();

    private static final class Answering {
        final SimFaults faults;
        Fault fault;
        Rewriting rewriting;
        boolean counted = true;

        Answering(SimFaults faults) {
            this.faults = faults;
        }

        /** The request no longer counts as in flight: its answer starts, or it ends without one. */
        void countOut() {
            if (counted) {
                counted = false;
                faults.inFlight.decrementAndGet();
            }
        }
    }

    private final Deque<Fault> queued = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private volatile Hook hook = request -> { };
    private volatile Rewrite rewrite;

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

    /** From now on every JSON answer is sent as {@code rewrite} makes it (null: as the simulator made it). */
    public SimFaults answers(Rewrite rewrite) {
        this.rewrite = rewrite;
        return this;
    }

    /** Requests received so far. */
    public int requests() {
        return requests.get();
    }

    /** The requests this server is answering now, this one included when asked from a {@link Hook}. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * The most requests this server was answering at one time (it answers up to 4 at once). A request counts from its
     * arrival until its answer starts, so that a client's next request, sent as soon as the answer arrived, never finds
     * the one before still counted.
     */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    void began() {
        ANSWERING.set(new Answering(this));
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    void ended() {
        Answering answering = ANSWERING.get();
        if (answering != null) {
            answering.countOut();
            ANSWERING.remove();
        }
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
        int number = requests.incrementAndGet();
        try {
            hook.before(number);
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
        Answering answering = ANSWERING.get();
        answering.fault = fault;
        Rewrite rewriting = rewrite;
        if (rewriting != null) {
            answering.rewriting = new Rewriting(rewriting, request(exchange, number));
        }
        if (fault instanceof Truncate) {
            exchange.setStreams(null, new Truncating(exchange.getResponseBody()));
        }
        return false;
    }

    /** The request's path and parameters (query and form); a form read here is put back for the simulator to read. */
    private static Request request(HttpExchange exchange, int number) throws IOException {
        Map<String, String> parameters = new LinkedHashMap<>(SimServer.query(exchange));
        if ("POST".equals(exchange.getRequestMethod())) {
            byte[] form = exchange.getRequestBody().readAllBytes();
            exchange.setStreams(new ByteArrayInputStream(form), null);
            parameters.putAll(SimServer.decode(new String(form, StandardCharsets.UTF_8)));
        }
        return new Request(number, exchange.getRequestURI().getPath(), parameters);
    }

    private record Rewriting(Rewrite rewrite, Request request) {

        byte[] apply(byte[] answer) throws IOException {
            JsonNode json;
            try {
                json = SimServer.JSON.readTree(answer);
            } catch (IOException notJson) {
                return answer; // a simulator's deliberately broken bytes stay broken
            }
            return SimServer.JSON.writeValueAsBytes(rewrite.rewrite(request, json));
        }
    }

    /** Sends an answer as its request's fault and rewrite have it: whole, chunked, padded to a huge size, or trickled. */
    static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        Answering answering = ANSWERING.get();
        Object fault = null;
        if (answering != null) {
            answering.countOut();
            fault = answering.fault;
            if (answering.rewriting != null) {
                bytes = answering.rewriting.apply(bytes);
            }
        }
        OutputStream body = exchange.getResponseBody();
        if (fault instanceof Huge huge) {
            long padding = Math.max(0, huge.bytes() - bytes.length);
            exchange.sendResponseHeaders(status, huge.chunked() ? 0 : padding + bytes.length);
            byte[] spaces = new byte[65_536];
            Arrays.fill(spaces, (byte) ' ');
            for (long left = padding; left > 0; left -= spaces.length) {
                body.write(spaces, 0, (int) Math.min(left, spaces.length));
            }
            body.write(bytes);
        } else if (fault instanceof Trickle trickle) {
            exchange.sendResponseHeaders(status, bytes.length);
            for (byte b : bytes) {
                try {
                    Thread.sleep(trickle.interval().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                body.write(b);
                body.flush();
            }
        } else {
            exchange.sendResponseHeaders(status, fault instanceof Chunked ? 0 : bytes.length);
            body.write(bytes);
        }
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

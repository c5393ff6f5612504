package io.botsync.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.util.TimeUtils;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * What a platform's answer may cost: at most {@code botsync.http.max-page-bytes} bytes (as Camel reads them, after any
 * decompression), and at most {@code botsync.http.request-deadline} from the request's start to the answer's last
 * byte. Camel's timeouts cannot give the second: so-timeout and response-timeout bound each wait for bytes, and a body
 * that trickles a byte a second passes every one of them.
 *
 * <p>A step of each platform endpoint's HTTP client (its {@code httpClientConfigurer}), the outermost of the client's
 * chain. An answer announced larger than the limit is refused before a byte of its body is read; one that grows past it,
 * or is not whole at the deadline, is cut off by closing its connection, never drained. The caller gets no page, so
 * nothing of it is committed.
 */
final class AnswerLimits implements HttpClientConfigurer {

    /** The name it is bound under in Camel's registry, for the endpoints' {@code httpClientConfigurer=#...}. */
    static final String BEAN = "botsyncAnswerLimits";

    /** An answer larger than the limit. Not worth another attempt: the same page comes back as large. */
    static final class TooLarge extends IOException {

        private final long limit;
        private final long announced;

        TooLarge(long limit, long announced) {
            super("the answer is larger than " + limit + " bytes");
            this.limit = limit;
            this.announced = announced;
        }

        long limit() {
            return limit;
        }

        /** The Content-Length the server announced, or -1 when it sent none (the body grew past the limit). */
        long announced() {
            return announced;
        }
    }

    /** An answer not whole at the deadline: worth another attempt, as a timeout is. */
    static final class TooSlow extends IOException {

        TooSlow(String deadline) {
            super("the answer did not arrive whole within " + deadline);
        }
    }

    private final long maxBytes;
    private final long deadlineMillis;
    private final String deadlineText;
    private final ScheduledExecutorService watchdog;

    private AnswerLimits(long maxBytes, long deadlineMillis, String deadlineText, ScheduledExecutorService watchdog) {
        this.maxBytes = maxBytes;
        this.deadlineMillis = deadlineMillis;
        this.deadlineText = deadlineText;
        this.watchdog = watchdog;
    }

    /** The limits of {@code botsync.http.*}, with a watchdog thread that Camel shuts down with the context. */
    static AnswerLimits of(CamelContext camel) {
        String bytes = PlatformHttpRoutes.property(camel, "botsync.http.max-page-bytes", "67108864");
        long maxBytes;
        try {
            maxBytes = Long.parseLong(bytes);
        } catch (NumberFormatException e) {
            maxBytes = 0;
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("botsync.http.max-page-bytes is '" + bytes
                    + "'; it must be a whole number of bytes, 1 or more (67108864 is 64 MB)");
        }
        String deadline = PlatformHttpRoutes.property(camel, "botsync.http.request-deadline", "2m");
        long deadlineMillis;
        try {
            deadlineMillis = TimeUtils.toMilliSeconds(deadline);
        } catch (RuntimeException e) {
            deadlineMillis = 0;
        }
        if (deadlineMillis < 1) {
            throw new IllegalArgumentException("botsync.http.request-deadline is '" + deadline
                    + "'; it must be a duration such as 2m or 90s");
        }
        ScheduledExecutorService watchdog = camel.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(AnswerLimits.class, "botsync-http-deadline");
        if (watchdog instanceof ScheduledThreadPoolExecutor pool) {
            pool.setRemoveOnCancelPolicy(true); // an answer that came in time leaves no alarm waiting for its deadline
        }
        return new AnswerLimits(maxBytes, deadlineMillis, deadline, watchdog);
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addExecInterceptorFirst("botsync-answer-limits", this::execute);
        // HttpClient 5 retries a 429 or 503 once by itself (after its Retry-After), and an I/O error of an idempotent
        // request: a second retry layer that Camel's error handler, the 429 that lowers a source's concurrency, the retry
        // log lines and the attempt count would never see. Camel's redelivery (PlatformHttpRoutes) is the one layer.
        builder.disableAutomaticRetries();
    }

    private ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Watch watch = new Watch(scope.execRuntime);
        ClassicHttpResponse response;
        try {
            response = chain.proceed(request, scope);
        } catch (IOException e) {
            watch.disarm();
            throw watch.fired() ? new TooSlow(deadlineText) : e;
        } catch (HttpException | RuntimeException e) {
            watch.disarm();
            throw e;
        }
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            watch.disarm();
        } else if (entity.getContentLength() > maxBytes) {
            watch.abort();
            throw new TooLarge(maxBytes, entity.getContentLength());
        } else {
            response.setEntity(new Bounded(entity, watch));
        }
        return response;
    }

    /** One request's deadline: at it, the request's connection is closed, which ends any wait for its bytes. */
    private final class Watch {

        private final ExecRuntime runtime;
        private final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
        private final ScheduledFuture<?> alarm;
        private volatile boolean aborted;
        private volatile boolean fired;

        Watch(ExecRuntime runtime) {
            this.runtime = runtime;
            this.alarm = watchdog.schedule(() -> {
                fired = true;
                abort();
            }, deadlineMillis, TimeUnit.MILLISECONDS);
        }

        /** Closes the connection at once (a close that drained a 200 MB body or a trickle would defeat the limits). */
        void abort() {
            aborted = true;
            disarm();
            runtime.discardEndpoint();
        }

        void disarm() {
            alarm.cancel(false);
        }

        boolean fired() {
            if (!fired && System.nanoTime() - deadline > 0) {
                fired = true;
                abort();
            }
            return fired;
        }

        boolean aborted() {
            return aborted;
        }
    }

    /** The answer's body, counted and timed as Camel reads it. */
    private final class Bounded extends HttpEntityWrapper {

        private final Watch watch;
        private Counted content;

        Bounded(HttpEntity entity, Watch watch) {
            super(entity);
            this.watch = watch;
        }

        @Override
        public InputStream getContent() throws IOException {
            if (content == null) {
                content = new Counted(super.getContent(), watch);
            }
            return content;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                in.transferTo(out);
            }
        }

        @Override
        public void close() throws IOException {
            if (content != null) {
                content.close();
            }
            if (!watch.aborted()) {
                super.close();
            }
        }
    }

    private final class Counted extends FilterInputStream {

        private final Watch watch;
        private long count;

        Counted(InputStream in, Watch watch) {
            super(in);
            this.watch = watch;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (watch.fired()) {
                throw new TooSlow(deadlineText);
            }
            int n;
            try {
                // never more than one byte past the limit, whatever the caller's buffer
                n = in.read(buffer, offset, (int) Math.min(length, maxBytes - count + 1));
            } catch (IOException e) {
                if (watch.fired()) {
                    throw new TooSlow(deadlineText);
                }
                throw e;
            }
            if (n < 0) {
                watch.disarm();
                return n;
            }
            count += n;
            if (count > maxBytes) {
                watch.abort();
                throw new TooLarge(maxBytes, -1);
            }
            return n;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[(int) Math.min(n, 8192)];
            int read = n <= 0 ? 0 : read(scratch, 0, scratch.length);
            return Math.max(read, 0);
        }

        @Override
        public void close() throws IOException {
            watch.disarm();
            if (!watch.aborted()) {
                in.close();
            }
        }
    }
}

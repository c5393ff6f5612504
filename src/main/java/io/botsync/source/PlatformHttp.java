package io.botsync.source;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * The requester every platform shares: one HTTP call through Camel's http component, one call per page, retried
 * by {@link PlatformHttpRoutes} when it failed in a way that may pass (5xx, 429, no answer, a body cut short).
 * Credentials travel only in headers or form bodies, never in endpoint URIs, so Camel never logs them.
 * Status codes are handed back to the platform's reader, which knows what they mean on its platform.
 */
public final class PlatformHttp {

    private final ProducerTemplate template;
    private final String source;
    private final PlatformHttpRoutes.RetryPolicy policy;
    private final boolean retries;
    /** Told of every 429 this requester gets, so that the pass it serves fetches fewer pages at once; null: nobody. */
    private volatile Concurrency concurrency;

    public PlatformHttp(ProducerTemplate template, String source) {
        this(template, source, true);
    }

    private PlatformHttp(ProducerTemplate template, String source, boolean retries) {
        this.template = template;
        this.source = source;
        this.policy = PlatformHttpRoutes.installIn(template.getCamelContext());
        this.retries = retries;
    }

    /**
     * A requester that sends each request once, for a caller whose own route redelivers (a push route): retries of two
     * layers would multiply. {@code read} gets every answer, 5xx and 429 included, to say what it means.
     */
    public static PlatformHttp withoutRetries(ProducerTemplate template, String source) {
        return new PlatformHttp(template, source, false);
    }

    /**
     * Pages fetched ahead by {@code fetch} (which calls this requester), up to {@code concurrency} at once; from now on a
     * 429 to any request of this requester lowers it.
     */
    public <T> FetchAhead<T> fetchAhead(Concurrency concurrency, LongFunction<T> fetch) {
        this.concurrency = concurrency;
        return new FetchAhead<>(template.getCamelContext().getRegistry()
                .lookupByNameAndType(PlatformHttpRoutes.FETCH_THREADS, ExecutorService.class), concurrency, fetch);
    }

    public HttpReply get(String url, Map<String, String> query, Map<String, String> headers) {
        return get(url, query, headers, reply -> reply);
    }

    /**
     * A GET whose answer is read by {@code read} inside the retry: a {@link RetryableSourceException} it throws (a
     * body that is not JSON) has the page fetched again. Once the attempts are spent, {@code read} gets the last
     * 5xx/429 answer, to say what it means, or the last failure is thrown.
     */
    public <T> T get(String url, Map<String, String> query, Map<String, String> headers, Function<HttpReply, T> read) {
        return call("GET", url, formEncode(query), headers, null, read);
    }

    /** A form POST ({@code application/x-www-form-urlencoded}), as StepChat's api.php takes it. */
    public HttpReply postForm(String url, Map<String, String> form, Map<String, String> headers) {
        return postForm(url, form, headers, reply -> reply);
    }

    /** A form POST whose answer is read inside the retry, as {@link #get(String, Map, Map, Function)}. */
    public <T> T postForm(String url, Map<String, String> form, Map<String, String> headers, Function<HttpReply, T> read) {
        return call("POST", url, null, headers, formEncode(form), read);
    }

    /**
     * A JSON request sent exactly once, never retried here: for a request that is not idempotent (a create), whose
     * answer lost on the way must not make a second one. No answer at all is a {@link SourceException}.
     */
    public HttpReply sendOnce(String method, String url, Map<String, String> headers, String jsonBody) {
        try {
            return new PlatformCall(source, method, url, null, headers, jsonBody, reply -> reply, this::throttled).send(template);
        } catch (RetryableSourceException e) {
            throw new SourceException(e.getMessage(), e);
        }
    }

    /** A JSON request with a body (POST / PUT), as the push targets take it. */
    public HttpReply send(String method, String url, Map<String, String> headers, String jsonBody) {
        return call(method, url, null, headers, jsonBody, reply -> reply);
    }

    @SuppressWarnings("unchecked")
    private <T> T call(String method, String url, String query, Map<String, String> headers, String body,
                       Function<HttpReply, T> read) {
        PlatformCall call = new PlatformCall(source, method, url, query, headers, body, read, this::throttled);
        if (!retries) {
            try {
                return read.apply(call.send(template));
            } catch (RetryableSourceException e) {
                throw new SourceException(e.getMessage(), e);
            }
        }
        Exchange done = template.request(PlatformHttpRoutes.ENDPOINT, exchange -> exchange.getMessage().setBody(call));
        Exception failure = done.getException();
        if (failure == null) {
            return (T) done.getMessage().getBody();
        }
        String attempts = " (after " + policy.maxAttempts() + (policy.maxAttempts() == 1 ? " attempt)" : " attempts)");
        if (failure instanceof RetryableSourceException spent) {
            if (spent.reply() != null) {
                try {
                    return read.apply(spent.reply());
                } catch (SourceException e) {
                    throw new SourceException(e.getMessage() + attempts);
                }
            }
            throw new SourceException(spent.getMessage() + attempts);
        }
        if (failure instanceof SourceException e) {
            throw e;
        }
        throw new SourceException(source + ": request to " + url + " failed: " + failure.getMessage(), failure);
    }

    private void throttled() {
        Concurrency paced = concurrency;
        if (paced != null) {
            paced.tooManyRequests();
        }
    }

    public static String formEncode(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}

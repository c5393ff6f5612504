package io.botsync.source;

import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpMethods;

/**
 * One request to a platform and what to make of its answer: the body of the exchange that
 * {@link PlatformHttpRoutes} retries. Headers and form bodies carry credentials, so {@link #toString} shows
 * neither, should anything ever print the exchange.
 *
 * @param query the encoded query string, or null
 * @param body  the request body (a form or JSON), or null
 * @param read  turns the answer into what the caller wants; may throw {@link RetryableSourceException}
 * @param throttled told of a 429 answer (see {@link Concurrency})
 */
record PlatformCall(String source, String method, String url, String query, Map<String, String> headers, String body,
                    Function<HttpReply, ?> read, Runnable throttled) {

    /** Sends the request once. No answer at all (refused, reset, timed out) may pass on a retry. */
    HttpReply send(ProducerTemplate template) {
        Exchange reply = template.request(endpoint(url), exchange -> {
            var message = exchange.getMessage();
            headers.forEach(message::setHeader);
            // the enum, not its name: Camel converts a String to it through a lookup that scanned its whole converter
            // registry on every request (JFR: 3% of botsync's CPU in a warm sync)
            message.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(method));
            if (query != null && !query.isEmpty()) {
                message.setHeader(Exchange.HTTP_QUERY, query);
            }
            if (body != null) {
                message.setHeader(Exchange.CONTENT_TYPE, headers.getOrDefault("Content-Type",
                        "GET".equals(method) ? null : "application/x-www-form-urlencoded; charset=UTF-8"));
                message.setBody(body);
            }
        });
        if (reply.getException() != null) {
            throw failure(reply.getException());
        }
        var message = reply.getMessage();
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && status == 429) {
            throttled.run();
        }
        byte[] bytes = message.getBody(byte[].class);
        return new HttpReply(status == null ? 0 : status, bytes == null ? new byte[0] : bytes,
                message.getHeader("Retry-After", String.class));
    }

    /** What went wrong when there is no answer to read; only an answer cut off for its size is not worth a retry. */
    private SourceException failure(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof AnswerLimits.TooLarge large) {
                return new SourceException(source + ": the answer to " + this + " is larger than botsync.http.max-page-bytes ("
                        + large.limit() + " bytes" + (large.announced() < 0 ? "" : "; it announced " + large.announced())
                        + "), so it was not read and nothing of it is kept; raise botsync.http.max-page-bytes if the"
                        + " platform's pages are really that large, or lower botsync." + source + ".page-size");
            }
            if (cause instanceof AnswerLimits.TooSlow slow) {
                return new RetryableSourceException(source + ": the answer to " + this + " was cut off: " + slow.getMessage()
                        + " (botsync.http.request-deadline), so nothing of it is kept; check that the platform is"
                        + " answering normally, or raise botsync.http.request-deadline");
            }
        }
        return new RetryableSourceException(source + ": no answer from " + url + " (" + e.getMessage()
                + "); check botsync." + source + ".* URL settings and that the platform is reachable");
    }

    private static String endpoint(String url) {
        return url + (url.contains("?") ? "&" : "?") + "throwExceptionOnFailure=false&httpClientConfigurer=#"
                + AnswerLimits.BEAN;
    }

    @Override
    public String toString() {
        return method + " " + url;
    }
}

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
 */
record PlatformCall(String source, String method, String url, String query, Map<String, String> headers, String body,
                    Function<HttpReply, ?> read) {

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
            throw new RetryableSourceException(source + ": no answer from " + url + " (" + reply.getException().getMessage()
                    + "); check botsync." + source + ".* URL settings and that the platform is reachable");
        }
        var message = reply.getMessage();
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        byte[] bytes = message.getBody(byte[].class);
        return new HttpReply(status == null ? 0 : status, bytes == null ? new byte[0] : bytes,
                message.getHeader("Retry-After", String.class));
    }

    private static String endpoint(String url) {
        return url + (url.contains("?") ? "&" : "?") + "throwExceptionOnFailure=false";
    }

    @Override
    public String toString() {
        return method + " " + url;
    }
}

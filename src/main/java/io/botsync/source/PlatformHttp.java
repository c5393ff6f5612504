package io.botsync.source;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * The requester every platform shares: one HTTP call through Camel's http component, one call per page.
 * Credentials travel only in headers or form bodies, never in endpoint URIs, so Camel never logs them.
 * Status codes are handed back to the platform's reader, which knows what they mean on its platform.
 */
public final class PlatformHttp {

    private final ProducerTemplate template;
    private final String source;

    public PlatformHttp(ProducerTemplate template, String source) {
        this.template = template;
        this.source = source;
    }

    public HttpReply get(String url, Map<String, String> query, Map<String, String> headers) {
        return call(url, "GET", formEncode(query), headers, null);
    }

    /** A form POST ({@code application/x-www-form-urlencoded}), as StepChat's api.php takes it. */
    public HttpReply postForm(String url, Map<String, String> form, Map<String, String> headers) {
        return call(url, "POST", null, headers, formEncode(form));
    }

    /** A JSON request with a body (POST / PUT), as the push targets take it. */
    public HttpReply send(String method, String url, Map<String, String> headers, String jsonBody) {
        return call(url, method, null, headers, jsonBody);
    }

    private HttpReply call(String url, String method, String query, Map<String, String> headers, String body) {
        Exchange reply = template.request(endpoint(url), exchange -> {
            var message = exchange.getMessage();
            headers.forEach(message::setHeader);
            message.setHeader(Exchange.HTTP_METHOD, method);
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
            throw new SourceException(source + ": no answer from " + url + " (" + reply.getException().getMessage()
                    + "); check " + "botsync." + source + ".* URL settings and that the platform is reachable",
                    reply.getException());
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

    public static String formEncode(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}

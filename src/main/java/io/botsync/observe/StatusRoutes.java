package io.botsync.observe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the status page with Camel's {@code platform-http}, which camel-platform-http-main binds to the management
 * server, the port of {@code /observe/health} and {@code /observe/metrics}: {@code GET /observe/status} (the page),
 * {@code /observe/status/rejected} (the rejected records, searched by the query's {@code source}, {@code id} and
 * {@code reason}) and the page's script and styles, every byte from inside the jar. Read-only: GET alone. With
 * {@code botsync.status.user} and {@code .password} set, every request must carry them (HTTP basic auth), else 401.
 */
public final class StatusRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(StatusRoutes.class);

    public static final String PATH = "/observe/status";
    /** The files the page loads, each from the jar: uPlot's (its webjar) and the page's own. */
    private static final Map<String, String> ASSETS = Map.of(
            "uPlot.iife.min.js", "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/uPlot.iife.min.js",
            "uPlot.min.css", "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/uPlot.min.css",
            "status.js", "/observe/status.js",
            "status.css", "/observe/status.css");
    /** What the page may load and run: its own files only; uPlot styles its canvas through the DOM. */
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final StatusPage page;
    /** {@code Basic base64(user:password)} as a request must send it, or null when the page is open. */
    private final byte[] credentials;

    /**
     * @param user     {@code botsync.status.user}, or null/blank for no authentication
     * @param password {@code botsync.status.password}
     */
    public StatusRoutes(StatusPage page, String user, String password) {
        this.page = page;
        this.credentials = user == null || user.isBlank() ? null : ("Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void configure() {
        from("platform-http:" + PATH + "?httpMethodRestrict=GET").routeId("status-page")
                .process(exchange -> {
                    String range = exchange.getMessage().getHeader("range", String.class);
                    answer(exchange, "text/html; charset=utf-8", () -> page.render(range));
                });
        from("platform-http:" + PATH + "/rejected?httpMethodRestrict=GET").routeId("status-page-rejected")
                .process(exchange -> {
                    Message in = exchange.getMessage();
                    String source = in.getHeader("source", String.class);
                    String id = in.getHeader("id", String.class);
                    String reason = in.getHeader("reason", String.class);
                    answer(exchange, "text/html; charset=utf-8", () -> page.renderRejected(source, id, reason));
                });
        ASSETS.forEach((name, resource) -> {
            byte[] bytes = read(resource);
            String type = name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            from("platform-http:" + PATH + "/" + name + "?httpMethodRestrict=GET").routeId("status-page-" + name.replace('.', '-'))
                    .process(exchange -> answer(exchange, type, () -> bytes));
        });
    }

    /**
     * Answers the request with what {@code body} makes, once its credentials pass; 503 naming the failure when the page
     * cannot be read (the warehouse is away). The request's headers are dropped first: platform-http would send every
     * header of the message back.
     */
    private void answer(Exchange exchange, String type, Supplier<Object> body) {
        Message message = exchange.getMessage();
        boolean allowed = credentials == null || MessageDigest.isEqual(credentials,
                String.valueOf(message.getHeader("Authorization")).getBytes(StandardCharsets.UTF_8));
        message.removeHeaders("*");
        message.setHeader("Cache-Control", "no-store");
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Content-Security-Policy", POLICY);
        if (!allowed) {
            message.setHeader("WWW-Authenticate", "Basic realm=\"botsync status\", charset=\"UTF-8\"");
            text(message, 401, "botsync status: user and password required");
            return;
        }
        Object content;
        try {
            content = body.get();
        } catch (RuntimeException e) {
            LOG.warn("the status page could not be read: {}", e.getMessage());
            text(message, 503, "botsync status: the page could not be read: " + e.getMessage());
            return;
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, type);
        message.setBody(content);
    }

    private static void text(Message message, int status, String text) {
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        message.setBody(text + "\n");
    }

    private static byte[] read(String resource) {
        try (InputStream in = StatusRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The uPlot webjar's version, from its own Maven metadata inside the jar. */
    private static String uplotVersion() {
        Properties properties = new Properties();
        try (InputStream in = StatusRoutes.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the uPlot webjar is missing from the jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }
}

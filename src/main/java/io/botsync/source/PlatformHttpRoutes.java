package io.botsync.source;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error handler every platform shares, built on Camel's redelivery: a request that failed in a way that may
 * pass ({@link RetryableSourceException}: 5xx, 429, no answer, a body cut short) is sent again with exponential
 * backoff and jitter, waiting what a {@code Retry-After} header asks for instead where there is one, up to
 * {@code botsync.http.max-attempts}. Every other answer goes straight back to the platform's reader, which knows
 * what a 401 or a 404 means on its platform. An optional per-source budget ({@code botsync.<source>.requests-per-second},
 * Camel's throttler) spaces the attempts, retries included.
 *
 * <p>The exchange carries a {@link PlatformCall}, whose credentials Camel never sees as headers or URIs; the error
 * handler's own logging is off, and retries are logged here with the source, the URL and the status only.
 */
public final class PlatformHttpRoutes extends RouteBuilder {

    static final String ENDPOINT = "direct:botsync-http";
    /** The threads that fetch pages ahead ({@link FetchAhead}), shared by the context's sources; Camel shuts them down. */
    static final String FETCH_THREADS = "botsyncFetchThreads";
    private static final String ATTEMPT = "direct:botsync-http-attempt";
    private static final String SOURCE = "BotsyncSource";
    private static final String BUDGET = "BotsyncRequestsPerSecond";
    private static final Logger LOG = LoggerFactory.getLogger(PlatformHttp.class);

    /** How often and how patiently a request is retried, from {@code botsync.http.*}. */
    record RetryPolicy(int maxAttempts, long firstDelayMillis, long maxDelayMillis) {

        static RetryPolicy of(CamelContext camel) {
            int attempts = Integer.parseInt(property(camel, "botsync.http.max-attempts", "4"));
            if (attempts < 1) {
                throw new IllegalArgumentException("botsync.http.max-attempts is " + attempts + "; it must be 1 or more");
            }
            return new RetryPolicy(attempts,
                    TimeUtils.toMilliSeconds(property(camel, "botsync.http.retry-delay", "1s")),
                    TimeUtils.toMilliSeconds(property(camel, "botsync.http.max-retry-delay", "60s")));
        }
    }

    private final RetryPolicy policy;
    private ProducerTemplate template;

    private PlatformHttpRoutes(RetryPolicy policy) {
        this.policy = policy;
    }

    /** Adds the routes to a context once, whoever asks first (the sync, a test's reader, a push target). */
    static RetryPolicy installIn(CamelContext camel) {
        synchronized (camel) {
            RetryPolicy policy = RetryPolicy.of(camel);
            if (camel.getRoute("botsync-http") == null) {
                camel.getRegistry().bind(AnswerLimits.BEAN, AnswerLimits.of(camel));
                // each pass keeps at most its concurrency of them busy, so a cached pool is as large as the sources need
                camel.getRegistry().bind(FETCH_THREADS, camel.getExecutorServiceManager()
                        .newCachedThreadPool(PlatformHttpRoutes.class, "botsync-fetch"));
                try {
                    camel.addRoutes(new PlatformHttpRoutes(policy));
                    // started whether or not the context starts its routes by itself (the one-shot commands' do not)
                    camel.getRouteController().startRoute("botsync-http");
                    camel.getRouteController().startRoute("botsync-http-attempt");
                } catch (Exception e) {
                    throw new IllegalStateException("cannot add the HTTP routes: " + e.getMessage(), e);
                }
            }
            return policy;
        }
    }

    @Override
    public void configure() {
        template = getContext().createProducerTemplate();
        // what is not retried (a refusal, a bad setting) goes back to the caller as it is, logged by nobody here
        errorHandler(defaultErrorHandler().logExhausted(false).logStackTrace(false).logExhaustedMessageHistory(false)
                .logRetryAttempted(false).retriesExhaustedLogLevel(LoggingLevel.OFF));
        from(ENDPOINT).routeId("botsync-http")
                .onException(RetryableSourceException.class)
                    .maximumRedeliveries(policy.maxAttempts() - 1)
                    .redeliveryDelay(policy.firstDelayMillis())
                    .useExponentialBackOff().backOffMultiplier(2)
                    .useCollisionAvoidance().collisionAvoidancePercent(25)
                    .maximumRedeliveryDelay(policy.maxDelayMillis())
                    .onRedelivery(this::logRetry)
                    .logRetryAttempted(false).logExhausted(false).logStackTrace(false).logRetryStackTrace(false)
                    .logExhaustedMessageHistory(false).logExhaustedMessageBody(false).logHandled(false)
                    .retryAttemptedLogLevel(LoggingLevel.OFF).retriesExhaustedLogLevel(LoggingLevel.OFF)
                .end()
                .to(ATTEMPT);
        // Redelivery re-runs this whole route, so a retry waits for the budget like any request.
        from(ATTEMPT).routeId("botsync-http-attempt").errorHandler(noErrorHandler())
                .process(this::budget)
                .choice()
                    .when(header(BUDGET).isNotNull())
                        .throttle(header(BUDGET)).correlationExpression(header(SOURCE)).totalRequestsMode()
                            .timePeriodMillis(1000)
                            .process(this::attempt)
                        .end()
                    .endChoice()
                    .otherwise()
                        .process(this::attempt)
                .end();
    }

    private void budget(Exchange exchange) {
        PlatformCall call = exchange.getMessage().getBody(PlatformCall.class);
        exchange.getMessage().setHeader(SOURCE, call.source());
        String key = "botsync." + call.source() + ".requests-per-second";
        Optional<String> budget = getContext().getPropertiesComponent().resolveProperty(key).filter(v -> !v.isBlank());
        // a whole number of 1 or more: checked at start-up (KnownKeys, requests-per-second)
        budget.ifPresent(perSecond -> exchange.getMessage().setHeader(BUDGET, Integer.parseInt(perSecond.strip())));
    }

    private void attempt(Exchange exchange) {
        var message = exchange.getMessage();
        message.removeHeader(Exchange.REDELIVERY_DELAY);
        PlatformCall call = message.getBody(PlatformCall.class);
        HttpReply reply = call.send(template);
        if (reply.status() == 429 || reply.status() >= 500) {
            Optional<Duration> wait = RetryAfter.parse(reply.retryAfter(), Clock.systemUTC());
            if (wait.isPresent()) {
                if (wait.get().toMillis() > policy.maxDelayMillis()) {
                    throw new SourceException(call.source() + ": HTTP " + reply.status() + " from " + call
                            + " asks to wait " + wait.get().toSeconds() + "s (Retry-After), longer than"
                            + " botsync.http.max-retry-delay; run it again later");
                }
                message.setHeader(Exchange.REDELIVERY_DELAY, wait.get().toMillis());
            }
            throw new RetryableSourceException(call.source() + ": HTTP " + reply.status() + " from " + call, reply);
        }
        message.setBody(call.read().apply(reply));
    }

    private void logRetry(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Integer retry = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        LOG.warn("{}; attempt {} of {}", caught == null ? "a platform request failed" : caught.getMessage(),
                retry == null ? "?" : retry + 1, policy.maxAttempts());
    }

    static String property(CamelContext camel, String key, String defaultValue) {
        return camel.getPropertiesComponent().resolveProperty(key).filter(v -> !v.isBlank()).map(String::trim)
                .orElse(defaultValue);
    }
}

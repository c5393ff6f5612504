package io.botsync.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.sync.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status page asks for the user and password of {@code botsync.status.*} when they are set, and only then. */
class StatusPageAuthTest {

    private static final String PASSWORD = "s3cret-page-password";

    @Test
    void withAUserAndPasswordSetEveryPartOfThePageAsksForThemAndHealthStaysOpen() {
        try (ServiceFixture service = new ServiceFixture()) {
            service.properties.put("botsync.status.user", "ops");
            service.properties.put("botsync.status.password", PASSWORD);
            service.start();
            for (String path : List.of("/observe/status", "/observe/status/rejected", "/observe/status/status.js",
                    "/observe/status/uPlot.iife.min.js")) {
                HttpResponse<String> anonymous = get(service, path, null);
                assertEquals(401, anonymous.statusCode(), path);
                assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"), path);
                assertEquals(401, get(service, path, "ops:wrong").statusCode(), path);
                assertEquals(200, get(service, path, "ops:" + PASSWORD).statusCode(), path);
            }
            HttpResponse<String> page = get(service, "/observe/status", "ops:" + PASSWORD);
            assertTrue(page.body().contains("botsync status"), page.body());
            assertFalse(page.body().contains(PASSWORD));
            assertFalse(page.headers().map().toString().contains(PASSWORD), "the request's headers are not sent back");
            assertEquals(200, service.get("/observe/health/live").statusCode());
            assertEquals(405, send(service, HttpRequest.newBuilder(URI.create(service.baseUrl() + "/observe/status"))
                    .header("Authorization", basic("ops:" + PASSWORD)).POST(HttpRequest.BodyPublishers.noBody())).statusCode(),
                    "read-only: GET alone");
        }
    }

    @Test
    void withoutThemThePageIsOpenAndAUserWithoutAPasswordStopsStartUp() {
        try (ServiceFixture service = new ServiceFixture()) {
            service.start();
            assertEquals(200, service.get("/observe/status").statusCode());
        }
        try (ServiceFixture service = new ServiceFixture()) {
            service.properties.put("botsync.status.user", "ops");
            ConfigException refused = assertThrows(ConfigException.class, service::start);
            assertTrue(refused.getMessage().contains("botsync.status.password"), refused.getMessage());
        }
    }

    private static HttpResponse<String> get(ServiceFixture service, String path, String credentials) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path));
        if (credentials != null) {
            request.header("Authorization", basic(credentials));
        }
        return send(service, request);
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(ServiceFixture service, HttpRequest.Builder request) {
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

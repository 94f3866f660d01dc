package org.wikiedits.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import org.wikiedits.sink.index.OpenSearchEndpoint;

/**
 * A minimal OpenSearch REST client on {@code java.net.http}: method, path, body in; status and body out.
 * The dashboard's live panels read the index through it (a few searches, no typed API needed); the
 * index sink writes through the {@code opensearch:} component instead ({@link org.wikiedits.sink.index.OpenSearchRestClients}).
 * Basic auth is sent pre-emptively; TLS uses the JVM's trust store ({@code -Djavax.net.ssl.trustStore=...}
 * for a private CA). HTTP/1.1 is forced: OpenSearch does not speak cleartext HTTP/2, so the JDK's h2c
 * upgrade attempt is only overhead.
 */
public final class OpenSearchClient {

    /** An HTTP answer: status code and body text. */
    public record Response(int status, String body) {

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Long enough for a bulk of a few thousand documents on a busy node. */
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final OpenSearchEndpoint endpoint;
    private final HttpClient http;
    private final String authorization;
    private final Duration requestTimeout;

    public OpenSearchClient(OpenSearchEndpoint endpoint) {
        this(endpoint, defaultSslContext(), DEFAULT_REQUEST_TIMEOUT);
    }

    /** With a given TLS context (tests with a self-signed certificate) and request timeout. */
    OpenSearchClient(OpenSearchEndpoint endpoint, SSLContext sslContext, Duration requestTimeout) {
        this.endpoint = endpoint;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .sslContext(sslContext)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.authorization = endpoint.hasCredentials()
                ? "Basic " + Base64.getEncoder().encodeToString(
                        (endpoint.username() + ":" + endpoint.password()).getBytes(StandardCharsets.UTF_8))
                : null;
    }

    public Response get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null);
    }

    public Response putJson(String path, String json) throws IOException, InterruptedException {
        return send("PUT", path, json, "application/json");
    }

    public Response postJson(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json, "application/json");
    }

    /**
     * Sends one request. {@code path} starts with {@code /} and may carry a query.
     *
     * @throws IOException when OpenSearch cannot be reached or the connection breaks (never for an error status)
     */
    public Response send(String method, String path, String body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.url() + path))
                .timeout(requestTimeout)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), response.body());
    }

    public OpenSearchEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public String toString() {
        return "OpenSearch at " + endpoint;
    }

    private static SSLContext defaultSslContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no default TLS context", e);
        }
    }
}

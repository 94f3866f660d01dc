package org.wikiedits.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.app.Pipeline;
import org.wikiedits.config.Settings;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.testing.CapturedLog;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.SseTestServer;
import org.wikiedits.testing.TestCamel;

/**
 * Every HTTP endpoint of the app (dashboard page and assets, /api/..., /health, /metrics) asked by a
 * hostile client: query parameters named like response headers, a malformed query string, paths that
 * climb out of the served folder, very long paths and queries, unknown methods. One app (lake only, no
 * embedded node; the index URL points at a closed port) serves every scenario.
 */
class HostileHttpIT {

    /** A query a cross-origin page could send to set a cookie for 127.0.0.1 and read the answer. */
    private static final String HEADER_QUERY = "Set-Cookie=pwned%3D1&Access-Control-Allow-Origin=https://evil.example"
            + "&Access-Control-Allow-Credentials=true&Location=https://evil.example&Refresh=0";
    private static final List<String> PLANTED = List.of("Set-Cookie", "Access-Control-Allow-Origin",
            "Access-Control-Allow-Credentials", "Location", "Refresh");
    /** Every path the app serves, one of each kind. */
    private static final List<String> ENDPOINTS = List.of("/", "/assets/dashboard.js", "/assets/dashboard.css",
            "/assets/echarts.min.js", "/assets/no-such-file", "/api/live/summary", "/api/live/top-wikis",
            "/api/history/daily", "/api/pipeline", "/health", "/metrics");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path data;

    private static SseTestServer server;
    private static Pipeline pipeline;
    private static int port;
    private static String indexUrl;

    @BeforeAll
    static void startTheApp() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int n = 1; n <= 20; n++) {
            lines.add(SyntheticEvents.event(n, Instant.parse("2026-11-28T10:00:00Z").plusSeconds(n)));
        }
        server = SseTestServer.start(lines);
        port = LoopbackPorts.free();
        indexUrl = "http://127.0.0.1:" + LoopbackPorts.free();
        Settings settings = Settings.load().with(Map.of(
                "wikiedits.source.url", server.url(),
                "wikiedits.data.dir", data.toString(),
                "wikiedits.sinks", "lake",
                "wikiedits.opensearch.url", indexUrl,
                "wikiedits.http.port", String.valueOf(port)));
        pipeline = new Pipeline(settings).bind("cliConnectorFactory", TestCamel.disabledCliConnector()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void noEndpointCopiesAQueryParameterOntoTheResponse() throws Exception {
        for (String endpoint : ENDPOINTS) {
            HttpResponse<String> response = send("GET", endpoint + "?" + HEADER_QUERY);

            // the API refuses the planted names as unknown parameters (400); the others ignore them
            assertThat(response.statusCode()).as(endpoint).isIn(200, 400, 404, 503);
            for (String header : PLANTED) {
                assertThat(response.headers().allValues(header)).as(endpoint + " answers " + header).isEmpty();
            }
        }
    }

    @Test
    void theAppsOwnHeadersStillLeaveAndTheApiStillReadsItsParameters() throws Exception {
        HttpResponse<String> script = send("GET", "/assets/dashboard.js?" + HEADER_QUERY);
        HttpResponse<String> metrics = send("GET", "/metrics?" + HEADER_QUERY);
        HttpResponse<String> badDay = send("GET", "/api/history/daily?from=2026-13-01&" + HEADER_QUERY);
        HttpResponse<String> badLimit = send("GET", "/api/history/top-wikis?limit=0");

        assertThat(script.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(script.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(badDay.statusCode()).isEqualTo(400);
        assertThat(badDay.body()).contains("from must be a day as YYYY-MM-DD");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(badLimit.body()).contains("limit must be a whole number");
    }

    @Test
    void aPlatformHttpRouteAddedLaterGetsTheSameAllowList() throws Exception {
        pipeline.camelContext().addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/added-later").routeId("added-later").setBody(constant("added"));
            }
        });

        HttpResponse<String> response = send("GET", "/added-later?" + HEADER_QUERY + "&Content-Type=text/html");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("added");
        for (String header : PLANTED) {
            assertThat(response.headers().allValues(header)).as(header).isEmpty();
        }
        // a route that sets no type of its own must not answer with one the query chose
        assertThat(response.headers().allValues("Content-Type")).as("Content-Type").noneMatch(type -> type.contains("html"));
    }

    @Test
    void aMalformedQueryStringIsRefusedWith400AndOneLogLineWithoutAStackTrace() throws Exception {
        try (CapturedLog log = CapturedLog.everything()) {
            for (String endpoint : List.of("/health", "/api/history/daily", "/assets/dashboard.js")) {
                String response = raw("GET " + endpoint + "?limit=%ZZ&from=% HTTP/1.1");

                assertThat(status(response)).as(endpoint).isEqualTo(400);
                assertThat(response).as(endpoint).contains("malformed query string").doesNotContain("Exception");
            }
            List<LogEvent> events = log.events();
            assertThat(events).noneMatch(event -> event.getLevel().isMoreSpecificThan(Level.ERROR));
            assertThat(events).noneMatch(event -> event.getThrown() != null);
            assertThat(events.stream().map(event -> event.getMessage().getFormattedMessage())
                    .filter(message -> message.contains("malformed query string"))).hasSize(3);
        }
    }

    @Test
    void aMalformedEscapeInThePathIsRefusedWith400AndOneLogLineWithoutAStackTrace() throws Exception {
        List<String> paths = List.of("/assets/%ZZ", "/api/live/%ZZ", "/%ZZ", "/health%", "/api/history/daily%4G?limit=5");
        try (CapturedLog log = CapturedLog.everything()) {
            for (String path : paths) {
                String response = raw("GET " + path + " HTTP/1.1");

                assertThat(status(response)).as(path).isEqualTo(400);
                assertThat(response).as(path).contains("malformed path").doesNotContain("Exception");
            }
            List<LogEvent> events = log.events();
            assertThat(events).as("log lines at ERROR").noneMatch(event -> event.getLevel().isMoreSpecificThan(Level.ERROR));
            assertThat(events).as("stack traces").noneMatch(event -> event.getThrown() != null);
            assertThat(events).as("one line per request").hasSize(paths.size());
        }
    }

    @Test
    void theIconIsServed() throws Exception {
        HttpResponse<byte[]> icon = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/favicon.ico")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.headers().firstValue("Content-Type")).hasValue("image/x-icon");
        assertThat(icon.body()).as("an ICO file's header").startsWith(0, 0, 1, 0);
    }

    @Test
    void pathsOutsideTheServedAssetsAreNotFoundAndNeverAFile() throws Exception {
        for (String path : List.of("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/../../../etc/passwd",
                "/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/assets/..%2F..%2Fpom.xml", "/assets/%2e%2e/application.properties",
                "/assets/..\\..\\application.properties", "/assets/%ZZ", "/dashboard/index.html",
                "/application.properties", "/assets/", "//etc/passwd")) {
            String response = raw("GET " + path + " HTTP/1.1");

            assertThat(status(response)).as(path).isIn(400, 404);
            assertThat(response).as(path).doesNotContain("root:").doesNotContain("wikiedits.").doesNotContain("Exception")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void veryLongPathsAndQueriesAndUnknownMethodsGetAClearStatusAndNoStackTrace() throws Exception {
        String longName = "a".repeat(20_000);
        assertThat(status(raw("GET /assets/" + longName + " HTTP/1.1"))).isEqualTo(414);
        assertThat(status(raw("GET /health?limit=" + longName + " HTTP/1.1"))).isEqualTo(414);
        assertThat(status(raw("GET /assets/" + "b".repeat(3_000) + " HTTP/1.1"))).isEqualTo(404);
        assertThat(send("GET", "/api/live/top-wikis?limit=" + "9".repeat(3_000)).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/live/top-wikis?window=" + "9".repeat(3_000)).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/live/top-wikis?" + "w".repeat(3_000) + "=1").body()).contains("unknown parameter 'wwwww")
                .doesNotContain("w".repeat(100));
        for (String method : List.of("BREW", "TRACE", "DELETE", "PUT", "POST")) {
            for (String endpoint : List.of("/health", "/metrics", "/api/pipeline", "/")) {
                HttpResponse<String> response = send(method, endpoint);

                assertThat(response.statusCode()).as(method + " " + endpoint).isEqualTo(405);
                assertThat(response.body()).as(method + " " + endpoint).doesNotContain("Exception").doesNotContain("\tat ");
            }
        }
    }

    @Test
    void unavailableAnswersNameTheProblemButNoUpstreamUrlOrAbsolutePath() throws Exception {
        HttpResponse<String> live = send("GET", "/api/live/summary");

        assertThat(live.statusCode()).isEqualTo(503);
        assertThat(live.body()).contains("not reachable").doesNotContain(indexUrl).doesNotContain("127.0.0.1")
                .doesNotContain(data.toAbsolutePath().toString());
    }

    private static HttpResponse<String> send(String method, String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One request line sent as is (no client-side normalising of dots or escapes); the whole answer. */
    private static String raw(String requestLine) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static int status(String rawResponse) {
        assertThat(rawResponse).matches("(?s)HTTP/1\\.[01] \\d{3}.*");
        return Integer.parseInt(rawResponse.substring(9, 12));
    }
}

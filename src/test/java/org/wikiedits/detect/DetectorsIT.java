package org.wikiedits.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.app.Pipeline;
import org.wikiedits.config.Settings;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.Samples;
import org.wikiedits.testing.TestCamel;
import org.wikiedits.testing.TestEvents;
import org.wikiedits.transform.RecentChange;

/**
 * The whole app (embedded OpenSearch node, dashboard, packaged routes) replaying, as fast as it can, a
 * recording of the samples with an injected page surge: the alert reaches the local webhook, the alerts
 * index and the dashboard's alerts panel within seconds of the surge being read, and the detectors drop
 * no input at full speed.
 */
class DetectorsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    private Pipeline pipeline;
    private HttpServer webhook;

    @AfterEach
    void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    @Test
    void aReplayedSurgeShowsAtTheWebhookInTheIndexAndOnTheDashboardWithinSeconds() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();

        List<RecentChange> surge = InjectedEvents.pageSurge("Breaking news", InjectedEvents.START, 25, Duration.ofSeconds(10));
        // the quiet edit first: the surge comes after the detectors' warm-up, whatever the samples' times
        List<String> lines = new ArrayList<>();
        InjectedEvents.watchedBefore(InjectedEvents.START).forEach(rc -> lines.add(InjectedEvents.json(rc)));
        lines.addAll(Samples.linesIfPresent());
        surge.forEach(rc -> lines.add(InjectedEvents.json(rc)));
        Path recording = TestEvents.write(work.resolve("recording.ndjson"), lines);
        int httpPort = LoopbackPorts.free();
        int nodePort = LoopbackPorts.free();
        Settings settings = Settings.load().with(Map.of(
                "wikiedits.source.url", "file:" + recording.toAbsolutePath(),
                "wikiedits.data.dir", work.resolve("data").toString(),
                "wikiedits.lake.roll-seconds", "1",
                "wikiedits.opensearch.embedded.http-port", String.valueOf(nodePort),
                "wikiedits.http.port", String.valueOf(httpPort),
                "wikiedits.alerts.webhook-url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook"));
        pipeline = new Pipeline(settings).bind("cliConnectorFactory", TestCamel.disabledCliConnector()).start();
        String base = "http://127.0.0.1:" + httpPort;

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> !received.isEmpty());
        long readAt = System.nanoTime();
        JsonNode sent = JSON.readTree(received.get(0));
        assertThat(sent.path("kind").asText()).isEqualTo("page-surge");
        assertThat(sent.path("subject").asText()).isEqualTo("enwiki:Breaking news");
        assertThat(sent.path("text").asText()).startsWith("page-surge: enwiki:Breaking news, 20 in 10 min");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(base + "/api/live/alerts").path("alerts").size() == 1);
        System.out.printf("DetectorsIT: the alert was on the dashboard %d ms after the webhook had it%n",
                (System.nanoTime() - readAt) / 1_000_000);
        JsonNode shown = get(base + "/api/live/alerts").path("alerts").get(0);
        assertThat(shown.path("subject").asText()).isEqualTo("enwiki:Breaking news");
        assertThat(shown.path("count").asLong()).isEqualTo(20);
        assertThat(shown.path("link").asText()).isEqualTo("https://en.wikipedia.org/wiki/Breaking_news");

        // the index under its own template, the document's id the alert's
        String node = "http://127.0.0.1:" + nodePort;
        assertThat(get(node + "/_index_template/alerts-wikiedits").path("index_templates").size()).isEqualTo(1);
        assertThat(get(node + "/alerts-wikiedits/_doc/" + java.net.URLEncoder.encode(sent.path("id").asText(), StandardCharsets.UTF_8)
                .replace("+", "%20")).path("found").asBoolean()).isTrue();
        assertThat(get(node + "/_cat/indices/wikiedits*?format=json").toString()).doesNotContain("alerts");

        await().atMost(Duration.ofSeconds(60)).until(() -> PipelineFixture.lakeEventIds(work.resolve("data")).contains("surge-25"));
        String metrics = text(base + "/metrics");
        assertThat(metrics).contains("wikiedits_detector_dropped_total 0.0");
        assertThat(metrics).containsPattern("wikiedits_alerts_webhook_total\\{outcome=\"sent\"\\} 1.0");
        assertThat(received).as("one call for the one alert").hasSize(1);
    }

    private static JsonNode get(String url) throws Exception {
        return JSON.readTree(text(url));
    }

    private static String text(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return response.body();
    }
}

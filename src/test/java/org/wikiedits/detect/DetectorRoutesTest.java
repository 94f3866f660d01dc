package org.wikiedits.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.config.Settings;
import org.wikiedits.source.sse.SseConstants;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.TestCamel;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.wiring.WikieditsBeans;

/**
 * The detector routes as the app wires them (routes/detectors.camel.yaml beside the lake, the source's
 * copy of each event), with the webhook on a local HTTP server: an alert is written to
 * {@code <data>/alerts/} and POSTed as Slack-compatible JSON; a 500 is retried; a subject is not sent twice
 * within the cool-down; a webhook that never answers holds back neither the lake nor the detectors.
 */
class DetectorRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private DefaultCamelContext context;
    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    /** The status of each next answer (200 when none is left); -1: never answer. */
    private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    private volatile boolean hang;

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.getShutdownStrategy().setTimeout(2);
            context.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private void start(Map<String, String> overrides) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "webhook-stand-in");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (hang) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Integer status = answers.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();

        context = TestCamel.newContext();
        Map<String, String> settings = new java.util.HashMap<>(Map.of("wikiedits.sinks", "lake", "wikiedits.source.url", "test:",
                "wikiedits.data.dir", data.toString(), "wikiedits.lake.roll-seconds", "1",
                "wikiedits.alerts.webhook-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook",
                "wikiedits.alerts.webhook-retry-ms", "50",
                // the routes, not the warm-up (DetectorsTest): a surge alerts from the first window
                "wikiedits.detectors.warm-up-minutes", "0"));
        settings.putAll(overrides);
        Properties properties = new Properties();
        properties.putAll(Settings.load().with(settings).asMap());
        context.getPropertiesComponent().setInitialProperties(properties);
        // the seda component as application.properties configures it in the app (camel.component.seda.*): bounded
        // sink queues that block the source when full; Camel's default (1000, failing when full) refused the lake
        // its 2001st event when 3000 came at once ("Queue full")
        SedaComponent seda = context.getComponent("seda", SedaComponent.class);
        seda.setQueueSize(Integer.parseInt(properties.getProperty("wikiedits.queue.capacity")));
        seda.setDefaultBlockWhenFull(true);
        new WikieditsBeans().configure(context);
        for (String file : List.of("classpath:routes/sinks.camel.yaml", "classpath:routes/source.camel.yaml",
                "classpath:routes/local/publish.camel.yaml", "classpath:routes/local/lake/lake.camel.yaml",
                "classpath:routes/detectors.camel.yaml")) {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context, file));
        }
        AdviceWith.adviceWith(context, "source", route -> route.replaceFromWith("direct:source"));
        context.start();
    }

    private void send(List<RecentChange> events) {
        for (RecentChange rc : events) {
            context.createProducerTemplate().sendBodyAndHeader("direct:source", InjectedEvents.json(rc), SseConstants.EVENT_ID,
                    "id-" + rc.eventId());
        }
    }

    private Detectors detectors() {
        return context.getRegistry().lookupByNameAndType("detectors", Detectors.class);
    }

    private AlertWebhook webhook() {
        return context.getRegistry().lookupByNameAndType("alertWebhook", AlertWebhook.class);
    }

    private List<JsonNode> alertFile() throws IOException {
        Path folder = data.resolve("alerts");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<JsonNode> alerts = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    alerts.add(JSON.readTree(line));
                }
            }
        }
        return alerts;
    }

    @Test
    void anAlertIsWrittenToItsFileAndSentToTheWebhookAgainAfterA500() throws Exception {
        answers.add(500);
        start(Map.of());
        send(InjectedEvents.pageSurge("Breaking news", InjectedEvents.START, 25, Duration.ofSeconds(10)));

        await().atMost(Duration.ofSeconds(20)).until(() -> webhook().sentCount() == 1);
        assertThat(received).as("a 500, then the same alert again").hasSize(2);
        assertThat(received.get(1)).isEqualTo(received.get(0));
        JsonNode body = JSON.readTree(received.get(1));
        assertThat(body.path("text").asText()).isEqualTo("page-surge: enwiki:Breaking news, 20 in 10 min (usual 0.0)");
        assertThat(body.path("kind").asText()).isEqualTo("page-surge");
        assertThat(body.path("last_event_id").asText()).isEqualTo("surge-20");

        assertThat(alertFile()).hasSize(1);
        assertThat(alertFile().get(0)).isEqualTo(body);
        assertThat(data.resolve("alerts/alerts-2026-09-17.ndjson")).exists();
        await().atMost(Duration.ofSeconds(20)).until(() -> "id-surge-25".equals(PipelineFixture.checkpoint(data)));
        assertThat(received).as("nothing after the success").hasSize(2);
        assertThat(detectors().droppedCount()).isZero();
    }

    @Test
    void aSecondAlertOnTheSameSubjectWithinTheCooldownGoesToTheFileButNotToTheWebhook() throws Exception {
        // factor 1: the second surge, 40 minutes of event time later (after the detector's cool-down), is an alert again
        start(Map.of("wikiedits.detectors.page-surge.factor", "1"));
        send(InjectedEvents.pageSurge("Recurring", InjectedEvents.START, 25, Duration.ofSeconds(10)));
        send(InjectedEvents.pageSurge("Recurring", InjectedEvents.START.plus(Duration.ofMinutes(40)), 25, Duration.ofSeconds(10)));

        await().atMost(Duration.ofSeconds(20)).until(() -> webhook().suppressedCount() == 1);
        assertThat(alertFile()).extracting(alert -> alert.path("subject").asText()).containsExactly("enwiki:Recurring", "enwiki:Recurring");
        assertThat(received).as("one call: the second alert on the page came within the cool-down").hasSize(1);
        assertThat(webhook().sentCount()).isEqualTo(1);
    }

    @Test
    void aWebhookThatNeverAnswersHoldsBackNeitherTheLakeNorTheDetectors() throws Exception {
        hang = true;
        start(Map.of());
        // 150 pages surging one after the other: 150 alerts, 3000 events
        List<RecentChange> events = new ArrayList<>();
        for (int page = 0; page < 150; page++) {
            for (RecentChange rc : InjectedEvents.pageSurge("Page " + page, InjectedEvents.START.plusSeconds(page), 20, Duration.ofSeconds(10))) {
                events.add(InjectedEvents.event(rc.eventId() + "-" + page, rc.eventTime(), rc.type(), rc.wiki(), rc.title(), rc.user(),
                        false, rc.lengthOld(), rc.lengthNew(), rc.comment()));
            }
        }
        send(events);

        String last = "id-" + events.get(events.size() - 1).eventId();
        await().atMost(Duration.ofSeconds(30)).until(() -> last.equals(PipelineFixture.checkpoint(data)));
        await().atMost(Duration.ofSeconds(30)).until(() -> alertFile().size() == 150);
        assertThat(detectors().observedCount()).isEqualTo(events.size());
        assertThat(detectors().droppedCount()).isZero();
        assertThat(received).as("the call in flight").isNotEmpty();
        assertThat(webhook().sentCount()).isZero();
        // one alert in the call, 100 in the webhook's queue, the rest dropped (one more if the call had not started yet)
        assertThat(webhook().suppressedCount()).as("alerts the webhook's full queue dropped").isBetween(49L, 50L);
    }
}

package org.wikiedits.source.sse;

import org.wikiedits.commit.CheckpointStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.commit.CommitTracker;
import org.wikiedits.commit.Headers;
import org.wikiedits.commit.LastEventIdSource;
import org.wikiedits.commit.ResumePosition;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.testing.TestCamel;

/** The sse component's offline sources, recordings and the generator, in a CamelContext (no servers). */
class SseFileAndGeneratorSourcesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<Exchange> received = new CopyOnWriteArrayList<>();
    private CamelContext camel;

    @AfterEach
    void stopCamel() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    private void startRoute(String uri, LastEventIdSource checkpoint) throws Exception {
        camel = TestCamel.startRoute(uri, checkpoint, received::add);
    }

    private List<String> header(String name) {
        return received.stream().map(exchange -> exchange.getMessage().getHeader(name, String.class)).toList();
    }

    private Path recording(int events) throws Exception {
        Instant start = Instant.parse("2026-08-04T00:00:00Z");
        List<String> lines = IntStream.rangeClosed(1, events)
                .mapToObj(n -> SyntheticEvents.event(n, start.plus(Duration.ofMinutes(n)))).toList();
        Path file = dir.resolve("recording with space.ndjson");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void aRecordingIsReplayedAtFullSpeedAndTheConsumerStaysIdleAtItsEnd() throws Exception {
        Path file = recording(30);
        startRoute("sse:file:" + file + "?replaySpeed=0", null);
        await().atMost(WAIT).until(() -> received.size() == 30);
        assertThat(received).extracting(exchange -> exchange.getMessage().getBody(String.class))
                .containsExactlyElementsOf(Files.readAllLines(file, StandardCharsets.UTF_8));
        assertThat(header(Headers.SOURCE_POSITION)).containsExactlyElementsOf(IntStream.rangeClosed(1, 30).mapToObj(String::valueOf).toList());
        assertThat(header(Headers.EVENT_TYPE)).containsOnly("message");
        assertThat(camel.getRouteController().getRouteStatus("source")).isEqualTo(ServiceStatus.Started);
        assertThat(camel.getStatus()).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void aRecordingResumesAfterTheCheckpointedLine() throws Exception {
        Path file = recording(10);
        startRoute("sse:file:" + file + "?lastEventIdSource=#checkpoint", () -> Optional.of("7"));
        await().atMost(WAIT).until(() -> received.size() == 3);
        assertThat(header(Headers.SOURCE_POSITION)).containsExactly("8", "9", "10");
    }

    @Test
    void aMissingRecordingFailsAtStartUpSayingHowToRecordOne() {
        assertThatThrownBy(() -> startRoute("sse:file:" + dir.resolve("nope.ndjson"), null))
                .hasStackTraceContaining("nope.ndjson")
                .hasStackTraceContaining("record");
    }

    @Test
    void theGeneratorResumesAtTheCheckpointPlusOneWithTheSameMetaIds() throws Exception {
        startRoute("sse:generator:?rate=0&lastEventIdSource=#checkpoint", () -> Optional.of("41"));
        await().atMost(WAIT).until(() -> received.size() >= 5);
        camel.stop();
        assertThat(header(Headers.SOURCE_POSITION).subList(0, 5)).containsExactly("42", "43", "44", "45", "46");
        assertThat(received.get(0).getMessage().getBody(String.class)).contains(SyntheticEvents.eventId(42).toString());
    }

    /** What a hot reload of routes/source.camel.yaml does to the generator, before any checkpoint (issue 17, item 6). */
    @Test
    void aRestartedGeneratorRouteGoesOnAfterTheLastAdmittedEventNotFromTheFirst() throws Exception {
        CommitTracker tracker = new CommitTracker(new CheckpointStore(dir.resolve("state"), "generator:"), List.of("lake"));
        LastEventIdSource position = new ResumePosition(tracker);
        camel = TestCamel.startRoute("sse:generator:?rate=0&lastEventIdSource=#checkpoint", position, exchange -> {
            tracker.admit(exchange.getMessage().getHeader(Headers.SOURCE_POSITION, String.class));
            received.add(exchange);
        });
        await().atMost(WAIT).until(() -> received.size() >= 5);
        camel.getRouteController().stopRoute("source");
        int before = received.size();
        String lastAdmitted = tracker.lastAdmittedId().orElseThrow(); // run:number
        String run = lastAdmitted.substring(0, lastAdmitted.indexOf(':') + 1);

        camel.getRouteController().startRoute("source");
        await().atMost(WAIT).until(() -> received.size() >= before + 3);

        assertThat(header(Headers.SOURCE_POSITION).get(before)).as("the same run, the next event")
                .isEqualTo(run + (Long.parseLong(lastAdmitted.substring(run.length())) + 1));
    }

    @Test
    void theGeneratorNeedsNoUserAgentAndTakesItsRateFromTheUri() throws Exception {
        startRoute("sse:generator:?rate=200", null);
        await().atMost(WAIT).until(() -> received.size() >= 20);
        assertThat(header(Headers.SOURCE_POSITION).subList(0, 3)).as("a fresh run's first events")
                .allMatch(position -> position.matches("[0-9a-f]{8}:\\d")).extracting(position -> position.substring(9))
                .containsExactly("1", "2", "3");
        SseEndpoint endpoint = (SseEndpoint) camel.getRoute("source").getEndpoint();
        assertThat(endpoint.getConfiguration().getRate()).isEqualTo(200);
    }

    @Test
    void aNegativeRateOrReplaySpeedFailsAtStartUpNamingTheSetting() throws Exception {
        assertThatThrownBy(() -> startRoute("sse:generator:?rate=-5", null)).hasStackTraceContaining("wikiedits.generator.rate");
        Path file = recording(1);
        assertThatThrownBy(() -> startRoute("sse:file:" + file + "?replaySpeed=-1", null))
                .hasStackTraceContaining("wikiedits.source.replay-speed");
    }

    @Test
    void anUnknownTargetIsRefusedWithTheAcceptedForms() {
        assertThatThrownBy(() -> startRoute("sse:ftp://example.org/stream", null))
                .hasStackTraceContaining("generator:")
                .hasStackTraceContaining("file:");
    }

    @Test
    void optionsMissingFromTheUriComeFromTheWikieditsSettings() throws Exception {
        camel = TestCamel.newContext();
        java.util.Properties settings = new java.util.Properties();
        settings.setProperty("wikiedits.generator.rate", "123");
        settings.setProperty("wikiedits.source.user-agent", "ua/1 (x+y)");
        camel.getPropertiesComponent().setInitialProperties(settings);
        SseEndpoint fromSettings = camel.getEndpoint("sse:generator:", SseEndpoint.class);
        SseEndpoint fromUri = camel.getEndpoint("sse:generator:?rate=7&idleTimeout=2s&foo=bar", SseEndpoint.class);
        assertThat(fromSettings.getConfiguration().getRate()).isEqualTo(123);
        assertThat(fromSettings.getConfiguration().getUserAgent()).isEqualTo("ua/1 (x+y)");
        assertThat(fromUri.getConfiguration().getRate()).isEqualTo(7);
        assertThat(fromUri.getConfiguration().getIdleTimeout()).isEqualTo(2000);
        assertThat(fromUri.getPassThroughParameters()).containsExactly(java.util.Map.entry("foo", "bar"));
    }

    @Test
    void theComponentCannotBeUsedAsAProducer() throws Exception {
        camel = TestCamel.newContext();
        SseEndpoint endpoint = camel.getEndpoint("sse:generator:", SseEndpoint.class);
        assertThatThrownBy(endpoint::createProducer).hasMessageContaining("only consumes");
    }
}

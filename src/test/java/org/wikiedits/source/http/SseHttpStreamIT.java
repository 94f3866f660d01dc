package org.wikiedits.source.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.wikiedits.source.SourceEvent;
import org.wikiedits.source.SourceOptions;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.testing.SseTestServer;

/** The framework-free SSE client (shared by the Camel consumer and {@code record}) against a local server. */
class SseHttpStreamIT {

    private static final List<String> EVENTS = IntStream.rangeClosed(1, 10)
            .mapToObj(n -> SyntheticEvents.event(n, Instant.parse("2026-08-04T15:24:29Z").plusSeconds(n))).toList();
    private static final SourceOptions FAST = SourceOptions.defaults("wikiedits-test/1.0 (https://example.org)")
            .withTimings(Duration.ofSeconds(60), Duration.ofMillis(20), Duration.ofMillis(100));

    private final List<SourceEvent> received = new CopyOnWriteArrayList<>();

    private Thread runInBackground(SseHttpStream stream) {
        Thread reader = new Thread(() -> {
            try {
                stream.run(received::add);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-reader");
        reader.start();
        return reader;
    }

    @Test
    void keepsRetryingAnUnreachableStreamAndReadsItOnceItIsUp() throws Exception {
        int port;
        try (ServerSocket reserve = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = reserve.getLocalPort();
        }
        SseHttpStream stream = new SseHttpStream("http://127.0.0.1:" + port + "/v2/stream/recentchange", FAST, Optional.empty());
        Thread reader = runInBackground(stream);
        Thread.sleep(300); // a few refused connections first
        assertThat(reader.isAlive()).isTrue();
        assertThat(stream.connectionProblem()).as("for health").hasValueSatisfying(problem -> assertThat(problem)
                .contains("cannot reach http://127.0.0.1:" + port).contains("connection refused"));
        try (SseTestServer server = SseTestServer.start(EVENTS, port)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 10);
            assertThat(received).extracting(SourceEvent::data).containsExactlyElementsOf(EVENTS);
            assertThat(stream.lastEventId()).isEqualTo(server.idOf(10));
            assertThat(stream.connectionProblem()).as("connected since").isEmpty();
        } finally {
            stream.close();
            reader.join(5000);
        }
        assertThat(reader.isAlive()).isFalse();
    }

    @Test
    void closeEndsARunThatWaitsOnAnOpenSilentConnection() throws Exception {
        try (SseTestServer server = SseTestServer.start(EVENTS)) {
            SseHttpStream stream = new SseHttpStream(server.url(), FAST, Optional.empty());
            Thread reader = runInBackground(stream);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 10);
            stream.close();
            reader.join(5000);
            assertThat(reader.isAlive()).isFalse();
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void closeEndsARunThatWaitsBeforeItsNextAttempt() throws Exception {
        try (SseTestServer server = SseTestServer.start(EVENTS)) {
            server.then(SseTestServer.Connection.status(503).withRetryAfter("3600"));
            SseHttpStream stream = new SseHttpStream(server.url(), FAST, Optional.empty());
            Thread reader = runInBackground(stream);
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.connectionProblem().isPresent());
            assertThat(stream.connectionProblem()).get().asString().contains("answered HTTP 503");
            stream.close();
            reader.join(5000);
            assertThat(reader.isAlive()).isFalse();
            assertThat(received).isEmpty();
        }
    }

    @Test
    void theRequestCarriesPassThroughParametersAndSinceUntilTheFirstEvent() {
        SourceOptions options = new SourceOptions("ua/1", "2026-08-04T15:00:00Z", Duration.ofSeconds(60), Duration.ofSeconds(1),
                Duration.ofSeconds(60), Duration.ofSeconds(10), 0, 50, java.util.Map.of("lang", "東京 x&y"));
        SseHttpStream stream = new SseHttpStream("https://stream.example.org/v2/stream/recentchange?format=json", options, Optional.empty());
        assertThat(stream.requestUri().toString()).isEqualTo("https://stream.example.org/v2/stream/recentchange"
                + "?format=json&lang=%E6%9D%B1%E4%BA%AC+x%26y&since=2026-08-04T15%3A00%3A00Z");
        SseHttpStream resumed = new SseHttpStream("https://stream.example.org/s", options, Optional.of("[{\"offset\":1}]"));
        assertThat(resumed.requestUri().toString()).isEqualTo("https://stream.example.org/s?lang=%E6%9D%B1%E4%BA%AC+x%26y");
        stream.close();
        resumed.close();
    }
}

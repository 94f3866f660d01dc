package org.wikiedits.source.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wikiedits.commit.LastEventIdSource;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.testing.SseTestServer.Connection;
import org.wikiedits.testing.SseTestServer.RecordedRequest;
import org.wikiedits.testing.SseTestServer;
import org.wikiedits.testing.TestCamel;

/** The sse component against a local SSE server with scripted faults. */
class SseComponentIT {

    private static final String USER_AGENT = "wikiedits-test/1.0 (https://example.org/wikiedits; ops@example.org)";
    private static final Instant RECORDED_AT = Instant.parse("2026-08-04T15:24:29.724Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<Exchange> received = new CopyOnWriteArrayList<>();
    private SseTestServer server;
    private CamelContext camel;

    @BeforeEach
    void startServer() throws Exception {
        server = SseTestServer.start(IntStream.rangeClosed(1, 10)
                .mapToObj(n -> SyntheticEvents.event(n, RECORDED_AT.plusMillis(100L * n))).toList());
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (camel != null) {
            camel.close();
        }
        server.close();
    }

    /** Fast timings so that reconnects take milliseconds; each test adds what it is about. */
    private String uri(String extraOptions) {
        return "sse:" + server.url() + "?userAgent=RAW(" + USER_AGENT + ")&initialReconnectDelay=20ms&maxReconnectDelay=200ms"
                + (extraOptions.isEmpty() ? "" : "&" + extraOptions);
    }

    private void startRoute(String uri) throws Exception {
        startRoute(uri, null);
    }

    private void startRoute(String uri, LastEventIdSource checkpoint) throws Exception {
        camel = TestCamel.startRoute(uri, checkpoint, received::add);
    }

    private List<String> bodies() {
        return received.stream().map(exchange -> exchange.getMessage().getBody(String.class)).toList();
    }

    private List<String> eventIds() {
        return received.stream().map(exchange -> exchange.getMessage().getHeader(SseConstants.EVENT_ID, String.class)).toList();
    }

    private void awaitAllTenEvents() {
        await().atMost(WAIT).until(() -> received.size() >= 10);
    }

    @Test
    void deliversEachEventsDataUnchangedWithItsIdAndTypeHeaders() throws Exception {
        startRoute(uri(""));
        awaitAllTenEvents();
        assertThat(bodies()).containsExactlyElementsOf(server.events());
        assertThat(eventIds()).containsExactlyElementsOf(IntStream.rangeClosed(1, 10).mapToObj(server::idOf).toList());
        assertThat(received).allSatisfy(exchange ->
                assertThat(exchange.getMessage().getHeader(SseConstants.EVENT_TYPE)).isEqualTo("message"));
        RecordedRequest first = server.request(0);
        assertThat(first.header("Accept")).isEqualTo("text/event-stream");
        assertThat(first.header("Last-Event-ID")).isNull();
        assertThat(first.path()).isEqualTo("/v2/stream/recentchange");
    }

    @Test
    void resumesAfterForcedDisconnectsWithTheLastEventIdAndLosesNothing() throws Exception {
        server.then(Connection.serve(3))
                .then(Connection.serve(2).withCutMidEvent())
                .then(Connection.serve(1));
        startRoute(uri(""));
        awaitAllTenEvents();

        assertThat(bodies()).containsExactlyElementsOf(server.events());
        List<RecordedRequest> requests = server.requests();
        assertThat(requests).hasSizeGreaterThanOrEqualTo(4);
        assertThat(requests.get(0).header("Last-Event-ID")).isNull();
        assertThat(requests.get(1).header("Last-Event-ID")).isEqualTo(server.idOf(3));
        assertThat(requests.get(2).header("Last-Event-ID")).isEqualTo(server.idOf(5));
        assertThat(requests.get(3).header("Last-Event-ID")).isEqualTo(server.idOf(6));
    }

    @Test
    void sendsTheUserAgentOnEveryRequest() throws Exception {
        server.then(Connection.serve(2)).then(Connection.status(503)).then(Connection.serve(2));
        startRoute(uri(""));
        awaitAllTenEvents();
        assertThat(server.requests()).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(request -> assertThat(request.header("User-Agent")).isEqualTo(USER_AGENT));
    }

    @Test
    void retriesAfterServiceUnavailableUntilTheStreamAnswers() throws Exception {
        server.then(Connection.status(503)).then(Connection.status(503)).then(Connection.status(502));
        startRoute(uri(""));
        awaitAllTenEvents();
        assertThat(bodies()).containsExactlyElementsOf(server.events());
        assertThat(server.requests()).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void waitsAtLeastTheRetryAfterOfA429() throws Exception {
        server.then(Connection.status(429).withRetryAfter("1"));
        startRoute(uri(""));
        awaitAllTenEvents();
        List<RecordedRequest> requests = server.requests();
        assertThat(requests.get(1).millisAfter(requests.get(0))).isGreaterThanOrEqualTo(900);
    }

    @Test
    void waitsTheServersRetryBeforeReconnecting() throws Exception {
        server.then(Connection.serve(2).withRetry(600));
        startRoute(uri(""));
        awaitAllTenEvents();
        List<RecordedRequest> requests = server.requests();
        assertThat(requests.get(1).header("Last-Event-ID")).isEqualTo(server.idOf(2));
        // without the retry: field the wait would be initialReconnectDelay, 20 ms
        assertThat(requests.get(1).millisAfter(requests.get(0))).isGreaterThanOrEqualTo(550);
    }

    @Test
    void ignoresCommentsAndReassemblesEventsSplitAcrossFlushes() throws Exception {
        server.then(Connection.serve(5).withComments().withSplitAcrossFlushes(7).withLineEnding("\r\n").withBom())
                .then(Connection.serveAll().withComments().withSplitAcrossFlushes(13).withLineEnding("\r"));
        startRoute(uri(""));
        awaitAllTenEvents();
        assertThat(bodies()).containsExactlyElementsOf(server.events());
    }

    @Test
    void reconnectsWhenTheStreamStaysSilentLongerThanTheIdleTimeout() throws Exception {
        server.then(Connection.serve(4).withStall(Duration.ofSeconds(30)));
        startRoute(uri("idleTimeout=300ms"));
        awaitAllTenEvents();
        assertThat(bodies()).containsExactlyElementsOf(server.events());
        List<RecordedRequest> requests = server.requests();
        assertThat(requests.get(1).header("Last-Event-ID")).isEqualTo(server.idOf(4));
        assertThat(requests.get(1).millisAfter(requests.get(0))).isGreaterThanOrEqualTo(250);
    }

    @Test
    void passesSinceOnTheFirstConnectionOnlyAndUnknownParametersOnEveryOne() throws Exception {
        server.then(Connection.serve(3));
        startRoute(uri("since=1785857000000&foo=bar%20baz"));
        awaitAllTenEvents();
        List<RecordedRequest> requests = server.requests();
        assertThat(requests.get(0).queryParameters()).containsEntry("since", "1785857000000").containsEntry("foo", "bar baz");
        assertThat(requests.get(1).queryParameters()).doesNotContainKey("since").containsEntry("foo", "bar baz");
        assertThat(requests.get(1).header("Last-Event-ID")).isEqualTo(server.idOf(3));
        assertThat(requests).noneMatch(request -> request.queryParameters().containsKey("userAgent")
                || request.queryParameters().containsKey("initialReconnectDelay"));
    }

    @Test
    void resumesFromTheCheckpointWithoutSinceWhenTheLastEventIdSourceHasAnId() throws Exception {
        startRoute(uri("since=2026-08-04T15:00:00Z&lastEventIdSource=#checkpoint"), () -> Optional.of(server.idOf(6)));
        await().atMost(WAIT).until(() -> received.size() >= 4);
        RecordedRequest first = server.request(0);
        assertThat(first.header("Last-Event-ID")).isEqualTo(server.idOf(6));
        assertThat(first.queryParameters()).doesNotContainKey("since");
        assertThat(bodies()).containsExactlyElementsOf(server.events().subList(6, 10));
    }

    @Test
    void sendsSinceWhenTheLastEventIdSourceHasNoId() throws Exception {
        startRoute(uri("since=2026-08-04T15:00:00Z&lastEventIdSource=#checkpoint"), Optional::empty);
        awaitAllTenEvents();
        assertThat(server.request(0).queryParameters()).containsEntry("since", "2026-08-04T15:00:00Z");
        assertThat(server.request(0).header("Last-Event-ID")).isNull();
    }

    @Test
    void refusesToStartAnHttpSourceWithoutUserAgentSayingWhatToSet() {
        assertThatThrownBy(() -> startRoute("sse:" + server.url()))
                .hasStackTraceContaining("User-Agent")
                .hasStackTraceContaining("wikiedits.source.user-agent");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void refusesASinceThatIsNeitherEpochMillisNorIso8601() {
        assertThatThrownBy(() -> startRoute(uri("since=yesterday")))
                .hasStackTraceContaining("since")
                .hasStackTraceContaining("yesterday");
    }

    @Test
    void aBlockedRouteHoldsTheReadLoopBackInsteadOfBuffering() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        camel = TestCamel.startRoute(uri(""), null, exchange -> {
            received.add(exchange);
            release.await();
        });
        await().atMost(WAIT).until(() -> received.size() == 1);
        Thread.sleep(200); // give a buffering consumer the chance to call the route again; it must not
        assertThat(received).hasSize(1);
        release.countDown();
        awaitAllTenEvents();
        assertThat(bodies()).containsExactlyElementsOf(server.events());
    }

    @Test
    void stopsCleanlyWithoutLeavingThreadsBehind() throws Exception {
        startRoute(uri(""));
        awaitAllTenEvents(); // the connection now stays open and silent
        assertThat(sseThreads()).isNotEmpty();
        camel.stop();
        await().atMost(WAIT).untilAsserted(() -> assertThat(sseThreads()).isEmpty());
    }

    private static List<String> sseThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("sse-http-") || name.contains("sse http"))
                .toList();
    }

    private static final String AWKWARD_USER_AGENT = "wikiedits/0.1.0 (https://example.org/a+b?x=1&y=2; set me, please)";

    /** A YAML route like the project's, with the settings as Camel properties and {@code checkpoints} bound if given. */
    private void startYamlRoute(String fromBlock, String userAgentSetting, LastEventIdSource checkpoints) throws Exception {
        camel = TestCamel.newContext();
        if (checkpoints != null) {
            camel.getRegistry().bind("checkpoints", LastEventIdSource.class, checkpoints);
        }
        java.util.Properties settings = new java.util.Properties();
        settings.setProperty("wikiedits.source.url", server.url());
        settings.setProperty("wikiedits.source.user-agent", userAgentSetting);
        settings.setProperty("wikiedits.source.since", "");
        settings.setProperty("wikiedits.source.replay-speed", "0");
        settings.setProperty("wikiedits.generator.rate", "50");
        camel.getPropertiesComponent().setInitialProperties(settings);
        camel.getRegistry().bind("collect", org.apache.camel.Processor.class, (org.apache.camel.Processor) received::add);
        String yaml = """
                - route:
                    id: source
                    from:
                %s
                      steps:
                        - process:
                            ref: collect
                """.formatted(fromBlock.indent(6).stripTrailing());
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("source.camel.yaml", yaml));
        camel.start();
    }

    @Test
    void aYamlRouteWithJustTheUrlTakesUserAgentAndSinceFromTheSettingsUnaltered() throws Exception {
        startYamlRoute("""
                uri: "sse:{{wikiedits.source.url}}"
                """, AWKWARD_USER_AGENT, null);
        awaitAllTenEvents();
        assertThat(bodies()).containsExactlyElementsOf(server.events());
        assertThat(server.request(0).header("User-Agent")).isEqualTo(AWKWARD_USER_AGENT);
        assertThat(server.request(0).queryParameters()).isEmpty();
    }

    @Test
    void aYamlRouteWithExplicitRawParametersOverridesTheSettings() throws Exception {
        startYamlRoute("""
                uri: "sse:{{wikiedits.source.url}}"
                parameters:
                  userAgent: "RAW(%s)"
                  since: "RAW(2026-08-04T17:00:00+02:00)"
                """.formatted(AWKWARD_USER_AGENT), "the-setting/1.0 (not used)", null);
        awaitAllTenEvents();
        assertThat(server.request(0).header("User-Agent")).isEqualTo(AWKWARD_USER_AGENT);
        assertThat(server.request(0).queryParameters()).containsEntry("since", "2026-08-04T17:00:00+02:00");
    }

    @Test
    void theProjectsSourceRouteShapeWorksWithPlainPlaceholdersAndACheckpointBean() throws Exception {
        LastEventIdSource checkpoints = () -> Optional.of(server.idOf(2)); // typed: a bare lambda would bind as a Supplier
        startYamlRoute("""
                uri: "sse:{{wikiedits.source.url}}"
                parameters:
                  userAgent: "{{wikiedits.source.user-agent}}"
                  since: "{{wikiedits.source.since}}"
                  replaySpeed: "{{wikiedits.source.replay-speed}}"
                  rate: "{{wikiedits.generator.rate}}"
                  lastEventIdSource: "#checkpoints"
                """, USER_AGENT, checkpoints);
        await().atMost(WAIT).until(() -> received.size() >= 8);
        assertThat(bodies()).containsExactlyElementsOf(server.events().subList(2, 10));
        assertThat(server.request(0).header("User-Agent")).isEqualTo(USER_AGENT);
        assertThat(server.request(0).header("Last-Event-ID")).isEqualTo(server.idOf(2));
        assertThat(server.request(0).queryParameters()).isEmpty();
    }
}

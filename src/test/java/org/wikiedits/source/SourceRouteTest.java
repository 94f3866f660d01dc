package org.wikiedits.source;

import org.wikiedits.commit.CommitTracker;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.wikiedits.commit.Headers;
import org.wikiedits.source.sse.SseConstants;
import org.wikiedits.testing.RouteFileTestSupport;
import org.wikiedits.transform.Fixtures;
import org.wikiedits.transform.RecentChange;

/**
 * routes/source.camel.yaml: the sse consumer (replaced by {@code direct:source}) -> admitEvent ->
 * direct:publish (a mock endpoint here; each mode's publish route has its own test), with the real
 * admitEvent and failedEvent over a real commit tracker and dead-letter store.
 */
class SourceRouteTest extends RouteFileTestSupport {

    private MockEndpoint publish;

    private void startSourceRoute(boolean publishFails) throws Exception {
        loadSourceRoutes();
        AdviceWith.adviceWith(context, "source", route -> {
            if (publishFails) {
                route.weaveByToUri("direct:publish").replace().throwException(new IllegalStateException("queue closed"));
            } else {
                route.weaveByToUri("direct:publish").replace().to("mock:publish");
            }
        });
        context.start();
        publish = getMockEndpoint("mock:publish");
    }

    private void sendFromSource(String raw, String sseId) {
        template.sendBodyAndHeader("direct:source", raw, Headers.SOURCE_POSITION, sseId);
    }

    @Test
    void aReadableEventIsPublishedAsItsRecentChangeWithSeqAndItsOriginalText() throws Exception {
        startSourceRoute(false);
        publish.expectedMessageCount(2);

        sendFromSource(Fixtures.event("edit-basic"), wikimediaSseId(1));
        sendFromSource(Fixtures.event("new-page"), wikimediaSseId(2));

        publish.assertIsSatisfied();
        Exchange first = publish.getExchanges().get(0);
        assertThat(first.getMessage().getBody()).isEqualTo(Fixtures.recentChange("edit-basic"));
        assertThat(first.getMessage().getHeader(Headers.SEQ)).isEqualTo(1L);
        assertThat(first.getProperty(Headers.RAW)).isEqualTo(Fixtures.event("edit-basic"));
        Exchange second = publish.getExchanges().get(1);
        assertThat(second.getMessage().getBody(RecentChange.class).eventId()).isEqualTo("7a4bd0e1-3f8c-4b52-9d1e-2c6f8a0b1e17");
        assertThat(second.getMessage().getHeader(Headers.SEQ)).isEqualTo(2L);
        assertThat(deadLetterLines()).isEmpty();
        assertThat(tracker.uncommitted()).as("published events wait for their sinks").isEqualTo(2);
    }

    @Test
    void aMalformedEventIsDeadLetteredWithItsReasonAndRawTextAndNotPublished() throws Exception {
        startSourceRoute(false);
        String raw = Fixtures.malformed("missing-meta-id.json");

        sendFromSource(raw, wikimediaSseId(1));

        assertThat(publish.getReceivedCounter()).isZero();
        assertThat(deadLetterLines()).singleElement().satisfies(letter -> {
            assertThat(letter.path("raw").asText()).isEqualTo(raw);
            assertThat(letter.path("stage").asText()).isEqualTo("source");
            assertThat(letter.path("reason").asText()).startsWith(Fixtures.expectedReason("missing-meta-id.json"));
        });
        assertThat(tracker.uncommitted()).as("the dead letter settles the event").isZero();
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(1));
    }

    @Test
    void aCanaryIsDroppedWithoutADeadLetterAndTheCheckpointPassesIt() throws Exception {
        startSourceRoute(false);
        String canary = Fixtures.event("edit-basic").replace("\"domain\":\"en.wikipedia.org\"", "\"domain\":\"canary\"");
        assertThat(canary).as("the fixture has a meta.domain to replace").contains("\"domain\":\"canary\"");

        sendFromSource(canary, wikimediaSseId(7));

        assertThat(publish.getReceivedCounter()).isZero();
        assertThat(deadLetterLines()).isEmpty();
        assertThat(tracker.uncommitted()).isZero();
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(7));
    }

    @Test
    void anExceptionInALaterStepDeadLettersTheEventThroughFailedEventWithItsRawText() throws Exception {
        startSourceRoute(true);
        String raw = Fixtures.event("edit-unicode");

        sendFromSource(raw, wikimediaSseId(1));

        assertThat(deadLetterLines()).singleElement().satisfies(letter -> {
            assertThat(letter.path("raw").asText()).isEqualTo(raw);
            assertThat(letter.path("event_id").asText()).isEqualTo(Fixtures.recentChange("edit-unicode").eventId());
            assertThat(letter.path("stage").asText()).isEqualTo("source");
            assertThat(letter.path("reason").asText()).isEqualTo("source: IllegalStateException: queue closed");
        });
        assertThat(tracker.uncommitted()).isZero();
        assertThat(tracker.halted()).isEmpty();
    }

    @Test
    void anEventThatWasNotValidUtf8IsDeadLetteredWithTheBytesAsReceived() throws Exception {
        startSourceRoute(false);
        byte[] received = Fixtures.event("edit-basic").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        received[received.length / 2] = (byte) 0xFF; // never part of UTF-8
        String decoded = new String(received, java.nio.charset.StandardCharsets.UTF_8);

        template.sendBodyAndHeaders("direct:source", decoded, java.util.Map.of(Headers.SOURCE_POSITION, wikimediaSseId(3),
                Headers.INVALID_UTF8, received));

        assertThat(publish.getReceivedCounter()).isZero();
        assertThat(deadLetterLines()).singleElement().satisfies(letter -> {
            assertThat(letter.path("raw").asText()).isEqualTo(decoded).contains("\uFFFD");
            assertThat(java.util.Base64.getDecoder().decode(letter.path("raw_base64").asText())).isEqualTo(received);
            assertThat(letter.path("reason").asText()).contains("not valid UTF-8");
        });
        assertThat(tracker.uncommitted()).isZero();
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(3));
    }
}

package org.wikiedits.app;

import org.wikiedits.commit.CommitTracker;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.wikiedits.commit.Headers;
import org.wikiedits.config.ConfiguredSinks;
import org.wikiedits.testing.RouteFileTestSupport;
import org.wikiedits.transform.Fixtures;
import org.wikiedits.transform.RecentChange;

/**
 * routes/local/publish.camel.yaml: each event to {@code seda:lake} and {@code seda:index} as
 * {@code wikiedits.sinks} says (the queues become mock endpoints; the sink routes have their own tests).
 */
class LocalPublishRouteTest extends RouteFileTestSupport {

    private MockEndpoint lake;
    private MockEndpoint index;

    private void startPublishRoute(String sinks) throws Exception {
        setProperties(ConfiguredSinks.KEY, sinks);
        context.getRegistry().bind("configuredSinks", ConfiguredSinks.parse(sinks));
        loadSourceRoutes();
        loadRouteFile("local/publish.camel.yaml");
        AdviceWith.adviceWith(context, "publish", route -> {
            route.interceptSendToEndpoint("seda:lake").skipSendToOriginalEndpoint().to("mock:lake");
            route.interceptSendToEndpoint("seda:index").skipSendToOriginalEndpoint().to("mock:index");
        });
        context.start();
        lake = getMockEndpoint("mock:lake");
        index = getMockEndpoint("mock:index");
    }

    private long publishEvent(String name) {
        return sendAdmitted("direct:publish", Fixtures.event(name), Fixtures.recentChange(name));
    }

    @Test
    void byDefaultEveryEventGoesToBothQueuesWithItsSeqAndOriginalText() throws Exception {
        startPublishRoute("lake,index");
        lake.expectedMessageCount(2);
        index.expectedMessageCount(2);

        publishEvent("edit-basic");
        publishEvent("log-params-object");

        MockEndpoint.assertIsSatisfied(lake, index);
        for (MockEndpoint queue : new MockEndpoint[] {lake, index}) {
            assertThat(queue.getExchanges()).extracting(e -> e.getMessage().getBody(RecentChange.class))
                    .containsExactly(Fixtures.recentChange("edit-basic"), Fixtures.recentChange("log-params-object"));
            assertThat(queue.getExchanges()).extracting(e -> e.getMessage().getHeader(Headers.SEQ))
                    .containsExactly(1L, 2L);
            assertThat(queue.getExchanges()).extracting(e -> e.getProperty(Headers.RAW))
                    .containsExactly(Fixtures.event("edit-basic"), Fixtures.event("log-params-object"));
        }
    }

    @Test
    void withSinksLakeEventsGoOnlyToTheLakeQueue() throws Exception {
        startPublishRoute("lake");
        lake.expectedMessageCount(1);

        publishEvent("edit-basic");

        lake.assertIsSatisfied();
        assertThat(index.getReceivedCounter()).isZero();
    }

    @Test
    void withSinksIndexEventsGoOnlyToTheIndexQueue() throws Exception {
        startPublishRoute("index");
        index.expectedMessageCount(1);

        publishEvent("edit-basic");

        index.assertIsSatisfied();
        assertThat(lake.getReceivedCounter()).isZero();
    }

    @Test
    void aQueueThatRefusesTheEventDeadLettersItWithItsEventIdAndRawText() throws Exception {
        setProperties(ConfiguredSinks.KEY, "lake,index");
        context.getRegistry().bind("configuredSinks", ConfiguredSinks.parse("lake,index"));
        loadSourceRoutes();
        loadRouteFile("local/publish.camel.yaml");
        AdviceWith.adviceWith(context, "publish", route -> {
            route.interceptSendToEndpoint("seda:lake").skipSendToOriginalEndpoint().throwException(new IllegalStateException("Queue full"));
            route.interceptSendToEndpoint("seda:index").skipSendToOriginalEndpoint().to("mock:index");
        });
        context.start();

        publishEvent("edit-basic");

        assertThat(getMockEndpoint("mock:index").getReceivedCounter()).as("the exchange stops at the failure").isZero();
        assertThat(deadLetterLines()).singleElement().satisfies(letter -> {
            assertThat(letter.path("event_id").asText()).isEqualTo("7a4bd0e1-3f8c-4b52-9d1e-2c6f8a0b1e01");
            assertThat(letter.path("raw").asText()).isEqualTo(Fixtures.event("edit-basic"));
            assertThat(letter.path("reason").asText()).isEqualTo("publish: IllegalStateException: Queue full");
        });
    }
}

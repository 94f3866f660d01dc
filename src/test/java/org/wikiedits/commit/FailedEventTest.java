package org.wikiedits.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.testing.TestCamel;

/** The halt branch of {@link FailedEvent}: a failed event whose dead letter cannot be written. */
class FailedEventTest {

    @TempDir
    Path data;

    private CamelContext context;
    private CheckpointStore checkpoints;
    private CommitTracker tracker;

    @BeforeEach
    void startSource() throws Exception {
        context = TestCamel.newContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:source").routeId("source").to("log:source?level=OFF");
            }
        });
        context.start();
        checkpoints = new CheckpointStore(data.resolve("state"), "test");
        tracker = new CommitTracker(checkpoints, List.of("lake"));
    }

    @AfterEach
    void stop() throws Exception {
        context.close();
    }

    @Test
    void aFailedEventThatCannotBeDeadLetteredHaltsTheTrackerBeforeItAndStopsTheSource() throws Exception {
        // a file where the dead-letter folder should be: no write can succeed, even as root
        Path blocked = Files.writeString(data.resolve("dead-letter"), "not a folder");
        FailedEvent failedEvent = new FailedEvent(tracker, new DeadLetterStore(blocked), "source");
        tracker.admit("id-1");
        long failed = tracker.admit("id-2");
        tracker.admit("id-3");
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader(Headers.SEQ, failed);
        exchange.getMessage().setBody("{\"meta\":{\"id\":\"id-2\"}}");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("the sink refused it"));

        failedEvent.process(exchange);
        tracker.handled("lake", SeqRuns.of(1, 3));

        assertThat(tracker.halted()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("event #2 failed").contains("the sink refused it").contains("cannot be stored as a dead letter"));
        assertThat(checkpoints.lastEventId()).as("never onto or past the event that is not stored anywhere").contains("id-1");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> context.getRouteController().getRouteStatus("source") == ServiceStatus.Stopped);
    }
}

package org.wikiedits.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;
import org.wikiedits.sink.lake.LakeFileSystem;
import org.wikiedits.sink.lake.LakeSink;
import org.wikiedits.sink.lake.LakeWriter;
import org.wikiedits.sink.lake.LocalLakeStorage;
import org.wikiedits.source.sse.SseConstants;
import org.wikiedits.testing.MutableClock;
import org.wikiedits.testing.RouteFileTestSupport;
import org.wikiedits.transform.Fixtures;

/**
 * The commit protocol through the shipped lake route (routes/local/lake/lake.camel.yaml) with the real
 * lake writer, while the commit tracker also waits for the index (whose acknowledgements the test gives):
 * a lake dead letter settles the event for the lake only; a route that processes events concurrently
 * never lets the checkpoint pass an event not yet written; an {@link Error} halts the tracker.
 */
class CommitProtocolRouteTest extends RouteFileTestSupport {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-08-04T16:00:00Z"));
    private LakeWriter writer;

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        super.bindToRegistry(registry);
        writer = new LakeWriter(new LocalLakeStorage(work.resolve("lake").resolve("wikiedits"), LakeFileSystem.DEFAULT),
                tracker, 60, 64 << 20, 8, clock);
        registry.bind("lakeSink", new LakeSink(writer));
    }

    private static List<String> events() {
        return Fixtures.eventNames().stream().limit(3).toList();
    }

    private void indexAcknowledges(long... seqs) {
        tracker.handled("index", SeqRuns.of(seqs));
    }

    @Test
    void aDeadLetterFromTheLakeDoesNotLetTheCheckpointPassAnEventTheIndexHasNotAcknowledged() throws Exception {
        loadSourceRoutes();
        loadRouteFile("local/lake/lake.camel.yaml");
        AdviceWith.adviceWith(context, "lake", route -> {
            route.replaceFromWith("direct:lake");
            route.weaveByType(BeanDefinition.class).before().process(exchange -> {
                if (exchange.getMessage().getHeader(Headers.SEQ, Long.class) == 2) {
                    throw new IllegalStateException("the lake refuses event 2");
                }
            });
        });
        context.start();
        String first = events().get(0);
        String second = events().get(1);
        sendAdmitted("direct:lake", Fixtures.event(first), Fixtures.recentChange(first));
        writer.commit();
        indexAcknowledges(1);
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(1));

        sendAdmitted("direct:lake", Fixtures.event(second), Fixtures.recentChange(second));

        assertThat(deadLetterLines()).singleElement().satisfies(letter -> assertThat(letter.path("stage").asText()).isEqualTo("lake"));
        assertThat(tracker.store().lastEventId()).as("the index has not acknowledged event 2 yet").contains(wikimediaSseId(1));
        indexAcknowledges(2);
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(2));
    }

    @Test
    void aThreadsStepInTheLakeRouteNeverLetsTheCheckpointPassAnEventNotYetWritten() throws Exception {
        CountDownLatch firstHeld = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        loadSourceRoutes();
        loadRouteFile("local/lake/lake.camel.yaml");
        AdviceWith.adviceWith(context, "lake", route -> {
            route.replaceFromWith("direct:lake");
            // what a threads: step (or an asynchronous delay:) added to the route file does: the next event
            // overtakes one in flight; here event 1 is held until event 2 is written and committed
            route.weaveAddFirst().threads(2);
            route.weaveByType(BeanDefinition.class).before().process(exchange -> {
                if (exchange.getMessage().getHeader(Headers.SEQ, Long.class) == 1) {
                    firstHeld.countDown();
                    assertThat(releaseFirst.await(30, TimeUnit.SECONDS)).isTrue();
                }
            });
        });
        context.start();
        String first = events().get(0);
        String second = events().get(1);
        long firstSeq = tracker.admit(wikimediaSseId(1));
        long secondSeq = tracker.admit(wikimediaSseId(2));
        indexAcknowledges(firstSeq, secondSeq);
        CompletableFuture<Exchange> inFlight = template.asyncSend("direct:lake", exchange -> admitted(exchange, first, firstSeq));
        assertThat(firstHeld.await(30, TimeUnit.SECONDS)).isTrue();

        sendAdmitted("direct:lake", Fixtures.event(second), Fixtures.recentChange(second), secondSeq);
        writer.commit();

        assertThat(writer.written()).isEqualTo(1);
        assertThat(tracker.store().lastEventId()).as("event 1 is not in the lake yet").isEmpty();

        releaseFirst.countDown();
        assertThat(inFlight.get(30, TimeUnit.SECONDS).getException()).isNull();
        writer.commit();
        assertThat(writer.written()).isEqualTo(2);
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(2));
    }

    @Test
    void anErrorInTheLakeRouteHaltsTheTrackerAtThatEventAndTheCheckpointNeverPassesIt() throws Exception {
        loadSourceRoutes();
        loadRouteFile("local/lake/lake.camel.yaml");
        AdviceWith.adviceWith(context, "lake", route -> {
            route.replaceFromWith("direct:lake");
            route.weaveByType(BeanDefinition.class).before().process(exchange -> {
                if (exchange.getMessage().getHeader(Headers.SEQ, Long.class) == 2) {
                    throw new StackOverflowError("deep recursion in a bean");
                }
            });
        });
        context.start();
        for (String name : events()) {
            sendAdmitted("direct:lake", Fixtures.event(name), Fixtures.recentChange(name));
        }
        writer.commit();
        indexAcknowledges(1, 2, 3);

        assertThat(tracker.halted()).as("health reads this: DOWN with the reason")
                .hasValueSatisfying(reason -> assertThat(reason).contains("event #2").contains("StackOverflowError"));
        assertThat(tracker.store().lastEventId()).contains(wikimediaSseId(1));
        assertThat(deadLetterLines()).as("an Error is a fault of the app, not of the event").isEmpty();
    }

    private void admitted(Exchange exchange, String name, long seq) {
        exchange.getMessage().setHeader(Headers.SOURCE_POSITION, wikimediaSseId(seq));
        exchange.getMessage().setBody(Fixtures.recentChange(name));
        exchange.getMessage().setHeader(Headers.SEQ, seq);
        exchange.setProperty(Headers.RAW, Fixtures.event(name));
    }
}

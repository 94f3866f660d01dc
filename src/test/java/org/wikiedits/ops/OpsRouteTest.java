package org.wikiedits.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;
import org.wikiedits.testing.RouteFileTestSupport;

/**
 * routes/ops.camel.yaml: {@code /health} and {@code /metrics} (platform-http replaced by {@code direct:};
 * the HTTP server itself is tested in the pipeline ITs) answered by the real opsEndpoints over a real
 * PipelineMonitor; {@code /health} goes through camel-jackson's {@code json} marshal.
 */
class OpsRouteTest extends RouteFileTestSupport {

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        super.bindToRegistry(registry);
        PipelineMonitor monitor = new PipelineMonitor(stats, List.of(tracker), tracker.store(), deadLetters, List.of(),
                Map.of(), false, Duration.ofMinutes(1));
        registry.bind("opsEndpoints", new OpsEndpoints(monitor));
    }

    private void startOpsRoutes() throws Exception {
        setProperties("wikiedits.progress.seconds", "7");
        loadRouteFile("ops.camel.yaml");
        AdviceWith.adviceWith(context, "health", route -> route.replaceFromWith("direct:health"));
        AdviceWith.adviceWith(context, "metrics", route -> route.replaceFromWith("direct:metrics"));
        context.start();
    }

    @Test
    void healthAnswersUpAsJsonWith200WhileThePipelineMakesProgress() throws Exception {
        startOpsRoutes();

        Exchange reply = template.request("direct:health", exchange -> { });

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo("{\"status\":\"UP\",\"reasons\":[]}");
        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
    }

    @Test
    void healthAnswersDownAsJsonWith503AndTheReasonWhenThePipelineIsHalted() throws Exception {
        startOpsRoutes();
        tracker.halt(tracker.admit("e1"), "the dead-letter store is full");

        Exchange reply = template.request("direct:health", exchange -> { });

        assertThat(reply.getMessage().getBody(String.class)).isEqualTo(
                "{\"status\":\"DOWN\",\"reasons\":[\"pipeline stopped: the dead-letter store is full\"]}");
        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
    }

    @Test
    void healthNamesTheProblemWithoutAbsolutePathsOrUpstreamUrls() throws Exception {
        startOpsRoutes();
        tracker.halt(tracker.admit("e1"), "cannot write to /srv/wikiedits/data/dead-letter/source.ndjson: No space left on device"
                + " (index at https://admin@search.internal:9200/wikiedits)");

        Exchange reply = template.request("direct:health", exchange -> { });

        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo("{\"status\":\"DOWN\",\"reasons\":[\"pipeline stopped:"
                + " cannot write to <path>: No space left on device (index at <url>)\"]}");
    }

    @Test
    void metricsAnswersThePrometheusTextFormat() throws Exception {
        startOpsRoutes();
        stats.received();
        stats.received();

        Exchange reply = template.request("direct:metrics", exchange -> { });

        assertThat(reply.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(reply.getMessage().getBody(String.class)).contains("wikiedits_events_received_total 2.0");
    }

    @Test
    void theProgressTimerTicksEveryWikieditsProgressSeconds() throws Exception {
        startOpsRoutes();

        assertThat(context.getRoute("progress").getEndpoint().getEndpointUri())
                .contains("period=7000").contains("delay=7000");
    }
}

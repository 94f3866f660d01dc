package org.wikiedits.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.logging.log4j.Level;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;
import org.wikiedits.ops.PipelineMonitor;
import org.wikiedits.query.NamedQueries;
import org.wikiedits.testing.CapturedLog;
import org.wikiedits.testing.RouteFileTestSupport;

/**
 * routes/dashboard.camel.yaml: the page, the assets and the JSON API, with platform-http replaced by
 * {@code direct:} (the HTTP server and real index and lake answers are tested in DashboardApiIT). The beans
 * are the real ones; the index is absent (no OpenSearch configured) and the lake is a stand-in that fails,
 * to see the routes' error answers: 400 for a bad parameter, 503 for an unavailable source, as JSON.
 */
class DashboardRouteTest extends RouteFileTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        super.bindToRegistry(registry);
        registry.bind("dashboardAssets", new DashboardAssets());
        registry.bind("liveIndex", LiveIndex.unconfigured(Clock.systemUTC()));
        registry.bind("historyLake", new HistoryLake(new UnreachableLake(),
                Clock.fixed(Instant.parse("2026-08-10T12:00:00Z"), ZoneOffset.UTC)));
        registry.bind("apiErrors", new ApiErrors());
        registry.bind("pipelineMonitor", new PipelineMonitor(stats, List.of(tracker), tracker.store(), deadLetters, List.of(),
                Map.of(), false, Duration.ofMinutes(1)));
    }

    private void startDashboardRoutes() throws Exception {
        loadRouteFile("dashboard.camel.yaml");
        for (String route : List.of("dashboard-page", "dashboard-icon", "dashboard-assets", "api-live", "api-history", "api-pipeline")) {
            AdviceWith.adviceWith(context, route, advice -> advice.replaceFromWith("direct:" + route));
        }
        context.start();
    }

    private Exchange get(String route, Map<String, Object> headers) {
        return template.request("direct:" + route, exchange -> exchange.getMessage().setHeaders(new HashMap<>(headers)));
    }

    private static JsonNode json(Exchange reply) throws IOException {
        return JSON.readTree(reply.getMessage().getBody(String.class));
    }

    @Test
    void thePipelineApiAnswersTheMonitorsSnapshotAsJson() throws Exception {
        startDashboardRoutes();
        stats.received();
        stats.received();

        JsonNode snapshot = json(get("api-pipeline", Map.of()));

        assertThat(snapshot.path("status").asText()).isEqualTo("UP");
        assertThat(snapshot.path("received").asLong()).isEqualTo(2);
        assertThat(snapshot.path("deadLetters").asLong()).isZero();
    }

    @Test
    void anUnknownLivePanelIsABadRequestWithTheReasonAsJson() throws Exception {
        startDashboardRoutes();

        Exchange reply = get("api-live", Map.of("panel", "nope"));

        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(400);
        assertThat(json(reply).path("error").asText()).startsWith("no live panel 'nope'");
    }

    @Test
    void aLivePanelWithoutAnIndexIsUnavailableWith503() throws Exception {
        startDashboardRoutes();

        Exchange reply = get("api-live", Map.of("panel", "summary"));

        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(503);
        assertThat(json(reply).path("error").asText()).startsWith("No search index configured: set wikiedits.opensearch.url");
    }

    @Test
    void aHistoryDayThatIsNotADateIsABadRequestAndNeverReachesTheLake() throws Exception {
        startDashboardRoutes();

        Exchange reply = get("api-history", Map.of("panel", "top-wikis", "from", "yesterday; DROP TABLE x"));

        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(400);
        assertThat(json(reply).has("error")).isTrue();
        assertThat(UnreachableLake.calls).isZero();
    }

    @Test
    void aHistoryPanelWhoseLakeQueryFailsIsUnavailableWith503AndTheLogSaysWhere() throws Exception {
        startDashboardRoutes();

        try (CapturedLog log = new CapturedLog(ApiErrors.class)) {
            Exchange reply = get("api-history", Map.of("panel", "top-wikis"));
            get("api-history", Map.of("panel", "top-wikis"));

            assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(503);
            assertThat(json(reply).path("error").asText()).isEqualTo("The lake query top_wikis failed (IOException): see the log");
            assertThat(log.messages(Level.WARN)).singleElement().asString()
                    .contains("the test's unreachable lake").contains("disk gone");
        }
    }

    @Test
    void thePageIsServedAsHtmlAndAnUnknownAssetIs404() throws Exception {
        startDashboardRoutes();

        Exchange page = get("dashboard-page", Map.of());
        Exchange missing = get("dashboard-assets", Map.of("asset", "../application.properties"));

        assertThat(page.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("text/html; charset=utf-8");
        assertThat(page.getMessage().getBody(String.class)).contains("<html");
        assertThat(missing.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(404);
    }

    @Test
    void theIconIsServedAsAnIcoFile() throws Exception {
        startDashboardRoutes();

        Exchange icon = get("dashboard-icon", Map.of());

        assertThat(icon.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("image/x-icon");
        assertThat(icon.getMessage().getBody(byte[].class)).as("an ICO file's header").startsWith(0, 0, 1, 0);
    }

    /** A lake whose every query fails, as an unreadable folder or an unreachable Athena would. */
    private static final class UnreachableLake implements LakeQueryRunner {
        static volatile int calls;

        UnreachableLake() {
            calls = 0;
        }

        @Override
        public NamedQueries.Result run(NamedQueries.BoundQuery query) throws IOException {
            calls++;
            throw new IOException("disk gone");
        }

        @Override
        public String describe() {
            return "the test's unreachable lake";
        }
    }
}

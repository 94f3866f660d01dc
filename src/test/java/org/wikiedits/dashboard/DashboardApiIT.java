package org.wikiedits.dashboard;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.app.Pipeline;
import org.wikiedits.config.Settings;
import org.wikiedits.source.generator.SyntheticEvents;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.PipelineFixture;
import org.wikiedits.testing.SseTestServer;
import org.wikiedits.testing.TestCamel;
import org.wikiedits.transform.MalformedEventException;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;

/**
 * Every endpoint of the dashboard API, through the shipped YAML routes, against the embedded
 * OpenSearch node and the lake the pipeline wrote from 400 known events (40 minutes of event time
 * across midnight, so two days and two hours) and 30 from two years before (as a replay of old
 * recordings has). Expected figures are computed here from the events.
 */
class DashboardApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant START = Instant.parse("2026-11-28T23:40:00Z");
    /** Where the 30 older events are: one day, two years before the others. */
    private static final Instant OLD = Instant.parse("2024-06-01T12:00:00Z");

    @TempDir
    static Path data;

    private static SseTestServer server;
    private static Pipeline pipeline;
    private static String base;
    /** The good events (canaries left out), as the pipeline reads them. */
    private static final List<RecentChange> events = new ArrayList<>();
    /** Those of 2026-11-28 and 2026-11-29, the days the history tests ask for. */
    private static List<RecentChange> recent;
    /** Those of the default window: the 15 minutes of event time up to the newest, that one included. */
    private static List<RecentChange> window;
    private static Instant newest;

    @BeforeAll
    static void startThePipelineAndDeliverTheEvents() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int n = 1; n <= 400; n++) {
            lines.add(SyntheticEvents.event(n, START.plusSeconds(6L * n)));
        }
        for (int n = 401; n <= 430; n++) {
            lines.add(SyntheticEvents.event(n, OLD.plusSeconds(60L * (n - 400))));
        }
        for (String line : lines) {
            try {
                RecentChange rc = RecentChangeReader.read(line);
                if (!rc.isCanary()) {
                    events.add(rc);
                }
            } catch (MalformedEventException e) {
                throw new IllegalStateException(e);
            }
        }
        newest = events.stream().map(RecentChange::eventTime).max(Comparator.naturalOrder()).orElseThrow();
        window = within(Duration.ofMinutes(15));
        recent = events.stream().filter(rc -> rc.eventTime().isAfter(START)).toList();

        server = SseTestServer.start(lines);
        int httpPort = LoopbackPorts.free();
        base = "http://127.0.0.1:" + httpPort;
        Settings settings = Settings.load().with(Map.of(
                "wikiedits.source.url", server.url(),
                "wikiedits.data.dir", data.toString(),
                "wikiedits.lake.roll-seconds", "1",
                "wikiedits.opensearch.embedded.http-port", String.valueOf(LoopbackPorts.free()),
                "wikiedits.http.port", String.valueOf(httpPort)));
        pipeline = new Pipeline(settings).bind("cliConnectorFactory", TestCamel.disabledCliConnector()).start();
        String lastId = server.idOf(lines.size());
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> lastId.equals(PipelineFixture.checkpoint(data)));
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/live/summary").path("events").asLong() == events.size());
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** The events of the window of {@code length} up to the newest: after its start, up to and with the newest. */
    private static List<RecentChange> within(Duration length) {
        return events.stream().filter(rc -> rc.eventTime().isAfter(newest.minus(length))).toList();
    }

    @Test
    void theSummaryCountsEveryIndexedEventAndEndsTheWindowAtTheNewest() throws Exception {
        JsonNode summary = get("/api/live/summary");

        assertThat(summary.path("events").asLong()).isEqualTo(events.size());
        assertThat(Instant.parse(summary.path("newest").asText())).isEqualTo(newest);
        assertThat(Instant.parse(summary.path("windowFrom").asText())).isEqualTo(newest.minus(Duration.ofMinutes(15)));
        assertThat(summary.path("empty").isNull()).isTrue();
    }

    @Test
    void theRateIsEventsPerSecondOfTheWindowSplitIntoBotsAndHumans() throws Exception {
        JsonNode rate = get("/api/live/rate");

        double human = 0;
        double bot = 0;
        for (JsonNode point : rate.path("points")) {
            human += point.path("human").asDouble() * rate.path("bucketSeconds").asInt();
            bot += point.path("bot").asDouble() * rate.path("bucketSeconds").asInt();
        }
        long bots = window.stream().filter(rc -> Boolean.TRUE.equals(rc.bot())).count();
        assertThat(rate.path("bucketSeconds").asInt()).isEqualTo(10);
        assertThat(Math.round(bot)).isEqualTo(bots);
        assertThat(Math.round(human)).isEqualTo(window.size() - bots);
        assertThat(rate.path("points").size()).isBetween(90, 92); // 15 minutes of 10 s bars
    }

    @Test
    void theRatesLastBarEndsAtTheNewestEventSoItIsWholeAndDoesNotDip() throws Exception {
        JsonNode points = get("/api/live/rate").path("points");
        JsonNode last = points.get(points.size() - 1);

        // the bars end at the newest event: the last covers the 10 s up to it, not a bar begun just before it
        assertThat(Instant.parse(last.path("time").asText())).isEqualTo(newest.minusSeconds(10).plusMillis(1));
        assertThat(Math.round((last.path("human").asDouble() + last.path("bot").asDouble()) * 10))
                .isEqualTo(within(Duration.ofSeconds(10)).size());
        assertThat(points.size()).isEqualTo(90);
    }

    @Test
    void theWindowParameterChoosesHowMuchEventTimeEveryWindowedPanelCovers() throws Exception {
        Instant oldest = events.stream().map(RecentChange::eventTime).min(Comparator.naturalOrder()).orElseThrow();
        assertThat(get("/api/live/summary").path("window").asText()).isEqualTo("15m"); // the default, as before
        for (Map.Entry<String, Duration> choice : Map.of("15m", Duration.ofMinutes(15), "1h", Duration.ofHours(1),
                "24h", Duration.ofHours(24)).entrySet()) {
            JsonNode summary = get("/api/live/summary?window=" + choice.getKey());
            long wikis = 0;
            for (JsonNode wiki : get("/api/live/top-wikis?limit=50&window=" + choice.getKey()).path("wikis")) {
                wikis += wiki.path("events").asLong();
            }

            assertThat(summary.path("window").asText()).isEqualTo(choice.getKey());
            assertThat(summary.path("windowLabel").asText()).as(choice.getKey()).isNotBlank();
            assertThat(Instant.parse(summary.path("windowFrom").asText())).isEqualTo(newest.minus(choice.getValue()));
            assertThat(wikis).as(choice.getKey()).isEqualTo(within(choice.getValue()).size());
        }

        JsonNode all = get("/api/live/summary?window=all");
        JsonNode types = get("/api/live/types?window=all").path("types");
        JsonNode rate = get("/api/live/rate?window=all");
        long typed = 0;
        for (JsonNode type : types) {
            typed += type.path("human").asLong() + type.path("bot").asLong();
        }
        double rated = 0;
        for (JsonNode point : rate.path("points")) {
            rated += (point.path("human").asDouble() + point.path("bot").asDouble()) * rate.path("bucketSeconds").asInt();
        }
        assertThat(all.path("windowLabel").asText()).contains("everything indexed");
        assertThat(Instant.parse(all.path("windowFrom").asText())).isEqualTo(oldest);
        assertThat(typed).isEqualTo(events.size());
        assertThat(Math.round(rated)).isEqualTo(events.size());
        assertThat(rate.path("points").size()).as("bars over two and a half years").isBetween(20, 120);
    }

    @Test
    void typesCountTheWindowsEventsPerTypeByBotsAndHumans() throws Exception {
        JsonNode types = get("/api/live/types");

        Map<String, long[]> expected = new HashMap<>();
        window.forEach(rc -> expected.computeIfAbsent(rc.type(), t -> new long[2])[Boolean.TRUE.equals(rc.bot()) ? 1 : 0]++);
        assertThat(types.path("types").size()).isEqualTo(expected.size());
        for (JsonNode type : types.path("types")) {
            long[] counts = expected.get(type.path("type").asText());
            assertThat(type.path("human").asLong()).as(type.toString()).isEqualTo(counts[0]);
            assertThat(type.path("bot").asLong()).as(type.toString()).isEqualTo(counts[1]);
        }
    }

    @Test
    void topWikisAreTheWindowsBusiestWikisWithTheirCounts() throws Exception {
        JsonNode wikis = get("/api/live/top-wikis?limit=3").path("wikis");

        Map<String, Long> expected = window.stream().collect(groupingBy(RecentChange::wiki, counting()));
        long third = expected.values().stream().sorted(Comparator.reverseOrder()).skip(2).findFirst().orElseThrow();
        assertThat(wikis.size()).isEqualTo(3);
        for (JsonNode wiki : wikis) {
            assertThat(wiki.path("events").asLong()).isEqualTo(expected.get(wiki.path("wiki").asText())).isGreaterThanOrEqualTo(third);
        }
    }

    @Test
    void topPagesCountEditsAndNewPagesPerPageAndLinkToThem() throws Exception {
        JsonNode pages = get("/api/live/top-pages?limit=5").path("pages");

        Map<String, Long> expected = window.stream().filter(rc -> List.of("edit", "new").contains(rc.type()))
                .collect(groupingBy(rc -> rc.serverName() + "|" + rc.title(), counting()));
        long best = expected.values().stream().max(Comparator.naturalOrder()).orElseThrow();
        assertThat(pages.size()).isEqualTo(5);
        assertThat(pages.get(0).path("edits").asLong()).isEqualTo(best);
        for (JsonNode page : pages) {
            assertThat(page.path("edits").asLong())
                    .isEqualTo(expected.get(page.path("serverName").asText() + "|" + page.path("title").asText()));
            assertThat(page.path("url").asText()).startsWith("https://" + page.path("serverName").asText() + "/wiki/");
        }
    }

    @Test
    void biggestChangesAreTheLargestAdditionsAndRemovalsWithDiffLinks() throws Exception {
        JsonNode changes = get("/api/live/biggest-changes?limit=3");

        List<Long> deltas = window.stream().filter(rc -> List.of("edit", "new").contains(rc.type()))
                .filter(rc -> rc.lengthNew() != null)
                .map(rc -> (long) rc.lengthNew() - Objects.requireNonNullElse(rc.lengthOld(), 0))
                .sorted().toList();
        assertThat(changes.path("additions").get(0).path("lengthDelta").asLong()).isEqualTo(deltas.get(deltas.size() - 1));
        assertThat(changes.path("removals").get(0).path("lengthDelta").asLong()).isEqualTo(deltas.get(0));
        JsonNode top = changes.path("additions").get(0);
        if (top.path("type").asText().equals("edit")) {
            assertThat(top.path("url").asText()).matches("https://[a-z.]+/w/index\\.php\\?diff=\\d+");
        }
    }

    @Test
    void theFeedIsTheNewestChangesFirstEachWithALink() throws Exception {
        JsonNode feed = get("/api/live/feed?limit=5").path("changes");

        List<String> newest = events.stream().map(RecentChange::eventTime).sorted(Comparator.reverseOrder()).limit(5)
                .map(Instant::toString).toList();
        List<String> times = new ArrayList<>();
        feed.forEach(change -> times.add(Instant.parse(change.path("time").asText()).toString()));
        assertThat(times).isEqualTo(newest);
        feed.forEach(change -> assertThat(change.path("url").asText()).startsWith("https://"));
    }

    @Test
    void everyLivePanelAsksTheIndexASearchItAcceptsAndShowsRows() throws Exception {
        // the alerts panel searches the alerts index, which these events leave empty: DetectorsIT sees it show alerts
        for (LivePanel<?> panel : LivePanels.ALL.stream().filter(panel -> !panel.name().equals("alerts")).toList()) {
            JsonNode answer = get("/api/live/" + panel.name());

            assertThat(answer.path("empty").isNull()).as(panel.name() + ": " + answer).isTrue();
        }
    }

    @Test
    void historyDailyHasTheLakesEventsAndBotEventsPerDay() throws Exception {
        JsonNode rows = get("/api/history/daily?from=2026-11-28&to=2026-11-29").path("rows");

        Map<String, Long> perDay = recent.stream().collect(groupingBy(rc -> day(rc.eventTime()), counting()));
        Map<String, Long> botsPerDay = recent.stream().filter(rc -> Boolean.TRUE.equals(rc.bot()))
                .collect(groupingBy(rc -> day(rc.eventTime()), counting()));
        assertThat(rows.size()).isEqualTo(2);
        for (JsonNode row : rows) {
            String day = row.path("dt").asText();
            assertThat(row.path("events").asLong()).isEqualTo(perDay.get(day));
            assertThat(row.path("bot_events").asLong()).isEqualTo(botsPerDay.get(day));
        }
    }

    @Test
    void historyHourlyTopWikisAndTopPagesMatchTheLake() throws Exception {
        JsonNode hourly = get("/api/history/hourly?from=2026-11-28&to=2026-11-29").path("rows");
        JsonNode wikis = get("/api/history/top-wikis?from=2026-11-28&to=2026-11-29&limit=50").path("rows");
        JsonNode pages = get("/api/history/top-pages?from=2026-11-28&to=2026-11-29&limit=3").path("rows");

        Map<String, Long> perHour = recent.stream().collect(groupingBy(
                rc -> day(rc.eventTime()) + " " + String.format("%02d", rc.eventTime().atZone(ZoneOffset.UTC).getHour()), counting()));
        assertThat(hourly.size()).isEqualTo(perHour.size());
        hourly.forEach(row -> assertThat(row.path("events").asLong())
                .isEqualTo(perHour.get(row.path("dt").asText() + " " + row.path("hour").asText())));
        Map<String, Long> perWiki = recent.stream().collect(groupingBy(RecentChange::wiki, counting()));
        assertThat(wikis.size()).isEqualTo(perWiki.size());
        wikis.forEach(row -> assertThat(row.path("events").asLong()).isEqualTo(perWiki.get(row.path("wiki").asText())));
        Map<String, Long> perPage = recent.stream().filter(rc -> List.of("edit", "new").contains(rc.type()))
                .collect(groupingBy(rc -> rc.wiki() + "|" + rc.title(), counting()));
        assertThat(pages.size()).isEqualTo(3);
        assertThat(pages.get(0).path("edits").asLong()).isEqualTo(perPage.values().stream().max(Long::compare).orElseThrow());
        pages.forEach(row -> assertThat(row.path("edits").asLong())
                .isEqualTo(perPage.get(row.path("wiki").asText() + "|" + row.path("title").asText())));
    }

    @Test
    void aDayRangeWithoutLakeFilesSaysWhyItIsEmpty() throws Exception {
        JsonNode answer = get("/api/history/daily?from=2020-01-01&to=2020-01-02");

        assertThat(answer.path("rows").size()).isZero();
        assertThat(answer.path("empty").asText()).contains("No events in the lake from 2020-01-01 to 2020-01-02")
                .contains("2024-06-01", "2026-11-29") // the days it has
                .doesNotContain("once a minute"); // the lake is not still filling: that range simply has none
    }

    @Test
    void thePipelinePanelReportsHealthCountsLagAndLatency() throws Exception {
        JsonNode pipelineStatus = get("/api/pipeline");

        assertThat(pipelineStatus.path("status").asText()).isIn("UP", "DEGRADED");
        assertThat(pipelineStatus.path("received").asLong()).isGreaterThanOrEqualTo(events.size());
        assertThat(pipelineStatus.path("delivered").path("index").asLong()).isEqualTo(events.size());
        // from receipt to every sink (the lake rolls each second), not from the events' meta.dt
        assertThat(pipelineStatus.path("latencyMaxSeconds").asDouble()).isPositive().isLessThan(60);
        assertThat(pipelineStatus.path("latencyMean").asText()).matches("\\d+(\\.\\d)?m?s");
        assertThat(pipelineStatus.has("lagSeconds")).isTrue();
    }

    @Test
    void badParametersAndUnknownPanelsAreRefusedWithA400ThatSaysWhy() throws Exception {
        assertError("/api/live/top-wikis?limit=0", 400, "limit must be a whole number from 1 to 50");
        assertError("/api/live/top-wikis?limit=1%3BDROP%20TABLE", 400, "limit must be a whole number");
        assertError("/api/live/everything", 400, "no live panel 'everything'");
        assertError("/api/history/daily?from=2026-13-01", 400, "from must be a day as YYYY-MM-DD");
        assertError("/api/history/daily?from=2026-11-29&to=2026-11-28", 400, "must not be after");
        assertError("/api/history/daily?from=2020-01-01&to=2026-01-01", 400, "at most 366 days");
        assertError("/api/history/sql?q=SELECT%201", 400, "no history panel 'sql'");
        assertError("/api/live/top-wikis?window=2h", 400, "window must be one of 15m, 1h, 24h, all");
    }

    @Test
    void unknownParametersAreRefusedWithA400ThatNamesTheKnownOnes() throws Exception {
        assertError("/api/live/top-wikis?limt=5", 400, "unknown parameter 'limt'");
        assertError("/api/live/top-wikis?limt=5", 400, "limit, window");
        assertError("/api/history/daily?from=2026-11-28&form=2026-11-29", 400, "unknown parameter 'form'");
        assertError("/api/history/daily?limt=5", 400, "from, to, limit");
        assertError("/api/pipeline?verbose=1", 400, "takes no parameters");
    }

    @Test
    void pathsUnderApiThatAreNoEndpointAreA404InJson() throws Exception {
        for (String path : List.of("/api/nothing", "/api/live/", "/api/live/summary/more", "/api/")) {
            assertError(path, 404, "no API endpoint");
        }
    }

    @Test
    void theLakesDaysAreListedSoThePageOpensOnThem() throws Exception {
        JsonNode rows = get("/api/history/days").path("rows");

        Map<String, Long> perDay = events.stream().collect(groupingBy(rc -> day(rc.eventTime()), counting()));
        Map<String, Long> listed = new java.util.TreeMap<>();
        rows.forEach(row -> listed.put(row.path("dt").asText(), row.path("events").asLong()));
        assertThat(listed).isEqualTo(new java.util.TreeMap<>(perDay));
        assertThat(rows.get(0).path("dt").asText()).isEqualTo("2024-06-01");
    }

    @Test
    void thePageAndItsAssetsAreServedAndNothingElse() throws Exception {
        HttpResponse<String> page = send("/");
        HttpResponse<String> echarts = send("/assets/echarts.min.js");
        HttpResponse<String> properties = send("/assets/application.properties");
        HttpResponse<String> traversal = send("/assets/..%2F..%2Fapplication.properties");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<script src=\"/assets/echarts.min.js\"></script>").doesNotContain("http://", "https://");
        assertThat(page.body()).as("an icon in the page, so that browsers do not ask for /favicon.ico").contains("<link rel=\"icon\"");
        assertThat(echarts.statusCode()).isEqualTo(200);
        assertThat(echarts.body().length()).isGreaterThan(500_000);
        assertThat(properties.statusCode()).isEqualTo(404);
        assertThat(traversal.statusCode()).isEqualTo(404);
        assertThat(send("/api/live/summary", "POST").statusCode()).isEqualTo(405);
    }

    private static void assertError(String path, int status, String message) throws Exception {
        HttpResponse<String> response = send(path);
        assertThat(response.statusCode()).as(path).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(type -> assertThat(type).contains("json"));
        assertThat(JSON.readTree(response.body()).path("error").asText()).as(path).contains(message);
    }

    private static String day(Instant time) {
        return time.atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(type -> assertThat(type).contains("json"));
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(String path) throws Exception {
        return send(path, "GET");
    }

    private static HttpResponse<String> send(String path, String method) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

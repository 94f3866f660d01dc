package org.wikiedits.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.wikiedits.dashboard.LivePanels.AlertsPanel.AlertRow;
import org.wikiedits.dashboard.LivePanels.AlertsPanel.Alerts;
import org.wikiedits.dashboard.LivePanels.BiggestChangesPanel.BiggestChanges;
import org.wikiedits.dashboard.LivePanels.FeedPanel.Feed;
import org.wikiedits.dashboard.LivePanels.RatePanel.Rate;
import org.wikiedits.dashboard.LivePanels.SummaryPanel.Summary;
import org.wikiedits.dashboard.LivePanels.TopPagesPanel.TopPages;
import org.wikiedits.dashboard.LivePanels.TopWikisPanel.TopWikis;
import org.wikiedits.dashboard.LivePanels.TypesPanel.Types;

/**
 * Each live panel's request and how OpenSearch's answer (as the search API returns it) reads into the
 * panel's record; the index itself answers in {@code DashboardApiIT}.
 */
class LivePanelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LiveWindow WINDOW = LiveWindow.endingAt(Instant.parse("2026-11-29T00:20:00Z"));

    @Test
    void everyPanelHasItsOwnPathNameAndAsksOneWellFormedSearch() throws Exception {
        assertThat(LivePanels.ALL).extracting(LivePanel::name).doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).matches("[a-z]+(-[a-z]+)*"));
        for (LivePanel<?> panel : LivePanels.ALL) {
            JsonNode request = JSON.readTree(panel.request(panel.windowed() ? WINDOW : null, 7));

            if (panel.windowed()) {
                JsonNode range = request.path("query").path("bool").path("filter").path(0).path("range").path("@timestamp");
                // after the start, up to and with the newest event
                assertThat(range.path("gt").asLong()).as(panel.name()).isEqualTo(WINDOW.from().toEpochMilli());
                assertThat(range.path("lte").asLong()).as(panel.name()).isEqualTo(WINDOW.to().toEpochMilli());
            }
            assertThat(LivePanels.named(panel.name())).isSameAs(panel);
        }
        assertThatThrownBy(() -> LivePanels.named(null)).hasMessageStartingWith("no live panel '?'");
    }

    @Test
    void theAlertsAreTheNewestOfTheAlertsIndexAndNoneSaysSo() throws Exception {
        LivePanel<?> panel = LivePanels.named("alerts");
        Alerts alerts = (Alerts) panel.answer(JSON.readTree("""
                {"hits":{"hits":[{"_index":"alerts-wikiedits","_id":"page-surge:enwiki:Breaking news:2026-08-04T15:54:00Z",
                  "_source":{"@timestamp":"2026-08-04T16:03:10Z","kind":"page-surge","wiki":"enwiki","subject":"enwiki:Breaking news",
                  "count":20,"baseline":0.0,"score":20.0,"text":"page-surge: enwiki:Breaking news, 20 in 10 min (usual 0.0)",
                  "link":"https://en.wikipedia.org/wiki/Breaking_news"}}]}}"""));

        assertThat(panel.index()).isEqualTo("alerts-wikiedits");
        assertThat(panel.windowed()).isFalse();
        assertThat(JSON.readTree(panel.request(null, 10)).path("sort").path(0).path("@timestamp").path("order").asText()).isEqualTo("desc");
        assertThat(alerts.alerts()).containsExactly(new AlertRow("2026-08-04T16:03:10Z", "page-surge", "enwiki", "enwiki:Breaking news",
                20, 0.0, 20.0, "page-surge: enwiki:Breaking news, 20 in 10 min (usual 0.0)", "https://en.wikipedia.org/wiki/Breaking_news"));
        assertThat(alerts.empty()).isNull();
        assertThat(((Alerts) panel.answer(JSON.readTree("{}"))).empty()).as("no alerts index yet").startsWith("No alerts");
    }

    @Test
    void theSummaryEndsTheWindowAtTheNewestEventAndAnEmptyIndexSaysSo() throws Exception {
        Summary summary = LivePanels.SUMMARY.answer(JSON.readTree("""
                {"hits":{"total":{"value":400,"relation":"eq"}},
                 "aggregations":{"newest":{"value_as_string":"2026-11-29T00:20:00.000Z"},
                                 "oldest":{"value_as_string":"2018-03-06T16:39:37.000Z"}}}"""));
        Summary empty = LivePanels.SUMMARY.answer(JSON.readTree("{}"));

        assertThat(summary).isEqualTo(new Summary(400, "2026-11-29T00:20:00Z", "2018-03-06T16:39:37Z", "15m",
                "last 15 minutes of event time", "2026-11-29T00:05:00Z", "2026-11-29T00:20:00Z", null));
        assertThat(summary.over(LiveWindow.Span.ALL)).extracting(Summary::windowFrom, Summary::windowLabel)
                .containsExactly("2018-03-06T16:39:37Z", "everything indexed");
        assertThat(empty.events()).isZero();
        assertThat(empty.newest()).isNull();
        assertThat(empty.empty()).isEqualTo(LivePanels.NO_EVENTS);
    }

    @Test
    void theRateIsEventsPerSecondWithUnflaggedEventsCountedAsHuman() throws Exception {
        Rate rate = (Rate) LivePanels.named("rate").answer(JSON.readTree("""
                {"aggregations":{"rate":{"buckets":[
                  {"key":1795911000000,"doc_count":25,"bot":{"buckets":[
                    {"key":1,"key_as_string":"true","doc_count":10},{"key":0,"key_as_string":"false","doc_count":12}]}},
                  {"key":1795911010000,"doc_count":0,"bot":{"buckets":[]}}]}}}"""));

        assertThat(rate.bucketSeconds()).isEqualTo(10);
        assertThat(rate.points()).containsExactly(new LivePanels.RatePanel.RatePoint("2026-11-29T00:10:00Z", 1.5, 1.0),
                new LivePanels.RatePanel.RatePoint("2026-11-29T00:10:10Z", 0.0, 0.0));
        assertThat(rate.empty()).isNull();
    }

    @Test
    void theRatesBarsEndAtTheNewestEventAndWidenWithTheWindow() throws Exception {
        Instant newest = Instant.parse("2026-11-29T00:20:03.250Z");
        JsonNode fifteen = JSON.readTree(LivePanels.named("rate").request(LiveWindow.endingAt(newest), 10))
                .path("aggs").path("rate").path("date_histogram");
        LiveWindow all = LiveWindow.of(LiveWindow.Span.ALL, Instant.parse("2018-03-06T16:39:37Z"), newest);
        JsonNode years = JSON.readTree(LivePanels.named("rate").request(all, 10)).path("aggs").path("rate");

        // bars are [key, key + 10 s) with key = offset + n * 10 s: the last ends 1 ms after the newest event
        assertThat(fifteen.path("fixed_interval").asText()).isEqualTo("10s");
        assertThat((newest.toEpochMilli() + 1 - fifteen.path("offset").asLong()) % 10_000).isZero();
        assertThat(fifteen.path("extended_bounds").path("min").asLong()).isEqualTo(newest.toEpochMilli() - 900_000 + 1);
        assertThat(LiveWindow.of(LiveWindow.Span.HOUR, newest, newest).bar()).hasMinutes(1);
        assertThat(LiveWindow.of(LiveWindow.Span.DAY, newest, newest).bar()).hasMinutes(15);
        assertThat(years.path("date_histogram").path("fixed_interval").asText()).isEqualTo(30 * 86_400 + "s");
        assertThat(years.path("meta").path("barSeconds").asLong()).isEqualTo(30 * 86_400);
        Rate perMonth = (Rate) LivePanels.named("rate").answer(JSON.readTree("""
                {"aggregations":{"rate":{"meta":{"barSeconds":2592000},"buckets":[{"key":0,"doc_count":2592,"bot":{"buckets":[]}}]}}}"""));
        assertThat(perMonth.bucketSeconds()).isEqualTo(2_592_000);
        assertThat(perMonth.points().get(0).human()).isEqualTo(0.001);
    }

    @Test
    void typesTopWikisAndTopPagesReadTheirBuckets() throws Exception {
        Types types = (Types) LivePanels.named("types").answer(JSON.readTree("""
                {"aggregations":{"types":{"buckets":[{"key":"edit","doc_count":9,"bot":{"buckets":[
                  {"key_as_string":"false","doc_count":6},{"key_as_string":"true","doc_count":3}]}}]}}}"""));
        TopWikis wikis = (TopWikis) LivePanels.named("top-wikis").answer(JSON.readTree("""
                {"aggregations":{"wikis":{"buckets":[{"key":"enwiki","doc_count":42},{"key":"dewiki","doc_count":7}]}}}"""));
        TopPages pages = (TopPages) LivePanels.named("top-pages").answer(JSON.readTree("""
                {"aggregations":{"pages":{"buckets":[{"key":["en.wikipedia.org","Main Page"],"doc_count":5}]}}}"""));

        assertThat(types.types()).containsExactly(new LivePanels.TypesPanel.TypeCount("edit", 6, 3));
        assertThat(wikis.wikis()).containsExactly(new LivePanels.TopWikisPanel.WikiCount("enwiki", 42),
                new LivePanels.TopWikisPanel.WikiCount("dewiki", 7));
        assertThat(pages.pages()).singleElement().satisfies(page -> {
            assertThat(page.edits()).isEqualTo(5);
            assertThat(page.url()).isEqualTo("https://en.wikipedia.org/wiki/Main_Page");
        });
        assertThat(((TopWikis) LivePanels.named("top-wikis").answer(JSON.readTree("{}"))).empty()).isEqualTo(LivePanels.NO_EVENTS);
    }

    @Test
    void biggestChangesKeepOnlyRealAdditionsAndRemovalsAndTheFeedLinksEachChange() throws Exception {
        String hit = """
                {"_source":{"@timestamp":"2026-11-29T00:19:00Z","server_name":"en.wikipedia.org","wiki":"enwiki","type":"edit",
                 "title":"Main Page","user":"Ann","bot":false,"length_delta":%d,"revision_new":123}}""";
        BiggestChanges changes = (BiggestChanges) LivePanels.named("biggest-changes").answer(JSON.readTree(
                "{\"aggregations\":{\"additions\":{\"hits\":{\"hits\":[" + hit.formatted(300) + "," + hit.formatted(-5) + "]}},"
                        + "\"removals\":{\"hits\":{\"hits\":[" + hit.formatted(-40) + "]}}}}"));
        Feed feed = (Feed) LivePanels.named("feed").answer(JSON.readTree("{\"hits\":{\"hits\":[" + hit.formatted(300) + "]}}"));

        assertThat(changes.additions()).extracting(LivePanels.Change::lengthDelta).containsExactly(300L);
        assertThat(changes.removals()).extracting(LivePanels.Change::lengthDelta).containsExactly(-40L);
        assertThat(feed.changes()).singleElement().satisfies(change -> {
            assertThat(change.user()).isEqualTo("Ann");
            assertThat(change.bot()).isFalse();
            assertThat(change.url()).isEqualTo("https://en.wikipedia.org/w/index.php?diff=123");
        });
    }

    @Test
    void aWindowedPanelOfAnEmptyIndexIsEmptyAndSaysWhy() {
        for (LivePanel<?> panel : LivePanels.ALL.stream().filter(LivePanel::windowed).toList()) {
            JsonNode empty = JSON.valueToTree(panel.empty("why"));

            assertThat(empty.path("empty").asText()).as(panel.name()).isEqualTo("why");
            empty.fields().forEachRemaining(field -> {
                if (field.getValue().isArray()) {
                    assertThat(field.getValue()).as(panel.name() + "." + field.getKey()).isEmpty();
                }
            });
        }
    }
}

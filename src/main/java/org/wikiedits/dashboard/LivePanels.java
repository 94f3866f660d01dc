package org.wikiedits.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The live panels, each defined here with its name, its request (one aggregation; the feed: one sorted,
 * size-limited search) over the index's fields only (the index template in
 * {@code src/main/resources/opensearch/}), its record and how the answer reads into it. {@link #ALL}
 * is what {@code /api/live/{panel}} serves: a new panel is a class here and an entry in that list.
 */
public final class LivePanels {

    /** What an empty index shows instead of a chart. */
    static final String NO_EVENTS = "No events indexed yet: the pipeline has not delivered any (is the source reachable?"
            + " see /health)";

    public static final SummaryPanel SUMMARY = new SummaryPanel();

    /** Every panel of {@code /api/live/{panel}}, in the order the unknown-panel message lists them. */
    public static final List<LivePanel<?>> ALL = List.of(SUMMARY, new RatePanel(), new TypesPanel(), new TopWikisPanel(),
            new TopPagesPanel(), new BiggestChangesPanel(), new FeedPanel(), new AlertsPanel());

    private LivePanels() {
    }

    /** The panel called {@code name}; an unknown name is a bad request that lists the panels. */
    public static LivePanel<?> named(String name) {
        return ALL.stream().filter(panel -> panel.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no live panel '" + (name == null || name.length() > 20 ? "?" : name)
                        + "'; the panels are " + ALL.stream().map(LivePanel::name).collect(Collectors.joining(", "))));
    }

    /**
     * Total documents in the index, the oldest and newest event times, and the window the other panels cover
     * ({@code window}: the choice, {@code windowLabel}: what the page says on each panel).
     */
    public static final class SummaryPanel implements LivePanel<SummaryPanel.Summary> {

        public record Summary(long events, String newest, String oldest, String window, String windowLabel,
                              String windowFrom, String windowTo, String empty) {

            /** This summary with the window {@code span} over its events (an empty index has none). */
            public Summary over(LiveWindow.Span span) {
                if (newest == null) {
                    return new Summary(events, null, null, span.parameter(), null, null, null, empty);
                }
                LiveWindow window = window(span);
                return new Summary(events, newest, oldest, span.parameter(), window.label(), window.from().toString(),
                        window.to().toString(), null);
            }

            /** The window {@code span} over the indexed events; only for a summary with events. */
            public LiveWindow window(LiveWindow.Span span) {
                return LiveWindow.of(span, Instant.parse(oldest), Instant.parse(newest));
            }
        }

        @Override
        public String name() {
            return "summary";
        }

        @Override
        public boolean windowed() {
            return false;
        }

        @Override
        public String request(LiveWindow window, int rows) {
            return """
                    {"size":0,"track_total_hits":true,"aggs":{"newest":{"max":{"field":"@timestamp"}},\
                    "oldest":{"min":{"field":"@timestamp"}}}}""";
        }

        @Override
        public Summary answer(JsonNode response) {
            long total = response.path("hits").path("total").path("value").asLong();
            JsonNode newest = response.path("aggregations").path("newest").path("value_as_string");
            if (total == 0 || newest.isMissingNode() || newest.isNull()) {
                return empty(NO_EVENTS);
            }
            Instant to = Instant.parse(newest.asText());
            JsonNode oldest = response.path("aggregations").path("oldest").path("value_as_string");
            Instant from = oldest.isMissingNode() || oldest.isNull() ? to : Instant.parse(oldest.asText());
            return new Summary(total, to.toString(), from.toString(), null, null, null, null, null).over(LiveWindow.DEFAULT);
        }

        @Override
        public Summary empty(String why) {
            return new Summary(0, null, null, null, null, null, null, why);
        }
    }

    /**
     * Events per second over the window, in bars of {@link LiveWindow#bar()} (10 s for 15 minutes), each split
     * into bots and humans. The bars end at the newest event, so the last is whole: a bar begun just before the
     * newest event would show its few events as a dip to nearly zero.
     */
    public static final class RatePanel implements LivePanel<RatePanel.Rate> {

        /** Width of a bar when the answer does not say (it does: the request puts it in the aggregation's meta). */
        static final Duration BUCKET = Duration.ofSeconds(10);

        public record RatePoint(String time, double human, double bot) {
        }

        public record Rate(int bucketSeconds, List<RatePoint> points, String empty) {
        }

        @Override
        public String name() {
            return "rate";
        }

        @Override
        public String request(LiveWindow window, int rows) {
            long bar = window.bar().toMillis();
            long end = window.to().toEpochMilli() + 1; // bars are [start, end): the last ends just after the newest event
            long first = window.span() == LiveWindow.Span.ALL ? window.from().toEpochMilli() : window.from().toEpochMilli() + 1;
            // no extended max: the newest event ends the bars (OpenSearch shifts a max by the offset, one bar too far)
            return "{\"size\":0," + window.query() + ",\"aggs\":{\"rate\":{\"date_histogram\":{\"field\":\"@timestamp\","
                    + "\"fixed_interval\":\"" + bar / 1000 + "s\",\"offset\":" + Math.floorMod(end, bar) + ",\"min_doc_count\":0,"
                    + "\"extended_bounds\":{\"min\":" + first + "}},"
                    + "\"meta\":{\"barSeconds\":" + bar / 1000 + "},"
                    + "\"aggs\":{\"bot\":{\"terms\":{\"field\":\"bot\",\"size\":2}}}}}}";
        }

        @Override
        public Rate answer(JsonNode response) {
            double seconds = response.path("aggregations").path("rate").path("meta").path("barSeconds").asLong(BUCKET.toSeconds());
            List<RatePoint> points = new ArrayList<>();
            for (JsonNode bucket : response.path("aggregations").path("rate").path("buckets")) {
                long bot = 0;
                long human = 0;
                for (JsonNode split : bucket.path("bot").path("buckets")) {
                    if (split.path("key_as_string").asText().equals("true")) {
                        bot += split.path("doc_count").asLong();
                    } else {
                        human += split.path("doc_count").asLong();
                    }
                }
                // events without a bot flag count as human, as in the lake's bot_share
                human += bucket.path("doc_count").asLong() - bot - human;
                points.add(new RatePoint(Instant.ofEpochMilli(bucket.path("key").asLong()).toString(), human / seconds, bot / seconds));
            }
            return new Rate((int) seconds, points, points.isEmpty() ? NO_EVENTS : null);
        }

        @Override
        public Rate empty(String why) {
            return new Rate((int) BUCKET.toSeconds(), List.of(), why);
        }
    }

    /** Events per type over the window, each split into bots and humans. */
    public static final class TypesPanel implements LivePanel<TypesPanel.Types> {

        public record TypeCount(String type, long human, long bot) {
        }

        public record Types(List<TypeCount> types, String empty) {
        }

        @Override
        public String name() {
            return "types";
        }

        @Override
        public String request(LiveWindow window, int rows) {
            return "{\"size\":0," + window.query() + ",\"aggs\":{\"types\":{\"terms\":{\"field\":\"type\",\"size\":10},"
                    + "\"aggs\":{\"bot\":{\"terms\":{\"field\":\"bot\",\"size\":2}}}}}}";
        }

        @Override
        public Types answer(JsonNode response) {
            List<TypeCount> types = new ArrayList<>();
            for (JsonNode bucket : response.path("aggregations").path("types").path("buckets")) {
                long bot = 0;
                for (JsonNode split : bucket.path("bot").path("buckets")) {
                    if (split.path("key_as_string").asText().equals("true")) {
                        bot = split.path("doc_count").asLong();
                    }
                }
                types.add(new TypeCount(bucket.path("key").asText(), bucket.path("doc_count").asLong() - bot, bot));
            }
            return new Types(types, types.isEmpty() ? NO_EVENTS : null);
        }

        @Override
        public Types empty(String why) {
            return new Types(List.of(), why);
        }
    }

    /** The wikis with the most events over the window. */
    public static final class TopWikisPanel implements LivePanel<TopWikisPanel.TopWikis> {

        public record WikiCount(String wiki, long events) {
        }

        public record TopWikis(List<WikiCount> wikis, String empty) {
        }

        @Override
        public String name() {
            return "top-wikis";
        }

        @Override
        public String request(LiveWindow window, int rows) {
            return "{\"size\":0," + window.query() + ",\"aggs\":{\"wikis\":{\"terms\":{\"field\":\"wiki\",\"size\":" + rows + "}}}}";
        }

        @Override
        public TopWikis answer(JsonNode response) {
            List<WikiCount> wikis = new ArrayList<>();
            for (JsonNode bucket : response.path("aggregations").path("wikis").path("buckets")) {
                wikis.add(new WikiCount(bucket.path("key").asText(), bucket.path("doc_count").asLong()));
            }
            return new TopWikis(wikis, wikis.isEmpty() ? NO_EVENTS : null);
        }

        @Override
        public TopWikis empty(String why) {
            return new TopWikis(List.of(), why);
        }
    }

    /** The most edited pages (edits and new pages) over the window, by server and title, with their links. */
    public static final class TopPagesPanel implements LivePanel<TopPagesPanel.TopPages> {

        public record PageCount(String serverName, String title, long edits, String url) {
        }

        public record TopPages(List<PageCount> pages, String empty) {
        }

        @Override
        public String name() {
            return "top-pages";
        }

        @Override
        public String request(LiveWindow window, int rows) {
            return "{\"size\":0," + window.query(EDITS_AND_NEW_PAGES)
                    + ",\"aggs\":{\"pages\":{\"multi_terms\":{\"terms\":[{\"field\":\"server_name\"},{\"field\":\"title.keyword\"}],"
                    + "\"size\":" + rows + "}}}}";
        }

        @Override
        public TopPages answer(JsonNode response) {
            List<PageCount> pages = new ArrayList<>();
            for (JsonNode bucket : response.path("aggregations").path("pages").path("buckets")) {
                String server = bucket.path("key").path(0).asText();
                String title = bucket.path("key").path(1).asText();
                pages.add(new PageCount(server, title, bucket.path("doc_count").asLong(), DiffLinks.of(server, null, title, null)));
            }
            return new TopPages(pages, pages.isEmpty() ? "No edits in this window" : null);
        }

        @Override
        public TopPages empty(String why) {
            return new TopPages(List.of(), why);
        }
    }

    /** The largest additions and removals (by {@code length_delta}) of edits and new pages over the window. */
    public static final class BiggestChangesPanel implements LivePanel<BiggestChangesPanel.BiggestChanges> {

        public record BiggestChanges(List<Change> additions, List<Change> removals, String empty) {
        }

        @Override
        public String name() {
            return "biggest-changes";
        }

        @Override
        public String request(LiveWindow window, int rows) {
            String fields = "\"_source\":[\"@timestamp\",\"server_name\",\"wiki\",\"type\",\"title\",\"user\",\"bot\","
                    + "\"length_delta\",\"revision_new\"]";
            return "{\"size\":0," + window.query(EDITS_AND_NEW_PAGES) + ",\"aggs\":{"
                    + "\"additions\":{\"top_hits\":{\"size\":" + rows + ",\"sort\":[{\"length_delta\":{\"order\":\"desc\"}}]," + fields + "}},"
                    + "\"removals\":{\"top_hits\":{\"size\":" + rows + ",\"sort\":[{\"length_delta\":{\"order\":\"asc\"}}]," + fields + "}}}}";
        }

        @Override
        public BiggestChanges answer(JsonNode response) {
            List<Change> additions = Change.of(response.path("aggregations").path("additions").path("hits").path("hits"));
            List<Change> removals = Change.of(response.path("aggregations").path("removals").path("hits").path("hits"));
            additions.removeIf(change -> change.lengthDelta() == null || change.lengthDelta() <= 0);
            removals.removeIf(change -> change.lengthDelta() == null || change.lengthDelta() >= 0);
            return new BiggestChanges(additions, removals,
                    additions.isEmpty() && removals.isEmpty() ? "No edits that changed a page's size in this window" : null);
        }

        @Override
        public BiggestChanges empty(String why) {
            return new BiggestChanges(List.of(), List.of(), why);
        }
    }

    /** The latest changes, newest first (not windowed: the newest are shown however old). */
    public static final class FeedPanel implements LivePanel<FeedPanel.Feed> {

        public record Feed(List<Change> changes, String empty) {
        }

        @Override
        public String name() {
            return "feed";
        }

        @Override
        public boolean windowed() {
            return false;
        }

        @Override
        public String request(LiveWindow window, int rows) {
            return "{\"size\":" + rows + ",\"sort\":[{\"@timestamp\":{\"order\":\"desc\"}}],"
                    + "\"_source\":[\"@timestamp\",\"server_name\",\"wiki\",\"type\",\"title\",\"user\",\"bot\",\"length_delta\","
                    + "\"revision_new\",\"comment\"]}";
        }

        @Override
        public Feed answer(JsonNode response) {
            List<Change> changes = Change.of(response.path("hits").path("hits"));
            return new Feed(changes, changes.isEmpty() ? NO_EVENTS : null);
        }

        @Override
        public Feed empty(String why) {
            return new Feed(List.of(), why);
        }
    }

    /**
     * The newest alerts of the detectors (docs/detectors.md), from their own index {@code alerts-wikiedits},
     * whatever the window: an alert is rare and stays of interest after its window has passed.
     */
    public static final class AlertsPanel implements LivePanel<AlertsPanel.Alerts> {

        /** What the page shows when no detector has raised an alert. */
        static final String NO_ALERTS = "No alerts: no detector has found a surge, revert burst, bot storm or new-page flood";

        public record AlertRow(String time, String kind, String wiki, String subject, long count, double baseline, double score,
                               String text, String link) {
        }

        public record Alerts(List<AlertRow> alerts, String empty) {
        }

        @Override
        public String name() {
            return "alerts";
        }

        @Override
        public String index() {
            return "alerts-wikiedits";
        }

        @Override
        public boolean windowed() {
            return false;
        }

        @Override
        public String request(LiveWindow window, int rows) {
            return "{\"size\":" + rows + ",\"sort\":[{\"@timestamp\":{\"order\":\"desc\"}}],"
                    + "\"_source\":[\"@timestamp\",\"kind\",\"wiki\",\"subject\",\"count\",\"baseline\",\"score\",\"text\",\"link\"]}";
        }

        @Override
        public Alerts answer(JsonNode response) {
            List<AlertRow> alerts = new ArrayList<>();
            for (JsonNode hit : response.path("hits").path("hits")) {
                JsonNode doc = hit.path("_source");
                alerts.add(new AlertRow(doc.path("@timestamp").asText(null), doc.path("kind").asText(null), doc.path("wiki").asText(null),
                        doc.path("subject").asText(null), doc.path("count").asLong(), doc.path("baseline").asDouble(),
                        doc.path("score").asDouble(), doc.path("text").asText(null), doc.path("link").asText(null)));
            }
            return new Alerts(alerts, alerts.isEmpty() ? NO_ALERTS : null);
        }

        @Override
        public Alerts empty(String why) {
            return new Alerts(List.of(), why);
        }
    }

    /** The filter clause of the panels about page edits. */
    private static final String EDITS_AND_NEW_PAGES = "{\"terms\":{\"type\":[\"edit\",\"new\"]}}";

    /** One change as the feed and the biggest-changes panel show it, with its link on the wiki. */
    public record Change(String time, String type, String wiki, String serverName, String title, String user,
                         Boolean bot, Long lengthDelta, String comment, String url) {

        /** The changes of a list of search hits (their {@code _source}). */
        static List<Change> of(JsonNode hits) {
            List<Change> changes = new ArrayList<>();
            for (JsonNode hit : hits) {
                JsonNode doc = hit.path("_source");
                String server = text(doc, "server_name");
                String type = text(doc, "type");
                String title = text(doc, "title");
                Long revision = doc.hasNonNull("revision_new") ? doc.path("revision_new").asLong() : null;
                changes.add(new Change(text(doc, "@timestamp"), type, text(doc, "wiki"), server, title, text(doc, "user"),
                        doc.hasNonNull("bot") ? doc.path("bot").asBoolean() : null,
                        doc.hasNonNull("length_delta") ? doc.path("length_delta").asLong() : null,
                        text(doc, "comment"), DiffLinks.of(server, type, title, revision)));
            }
            return changes;
        }

        private static String text(JsonNode doc, String field) {
            return doc.hasNonNull(field) ? doc.path(field).asText() : null;
        }
    }
}

package org.wikiedits.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads OpenSearch's answers to {@link LiveRequests} into the API's panel records (what
 * {@code /api/live/...} returns as JSON). Pure: no I/O, so each answer shape is unit-tested.
 */
public final class LiveAnswers {

    /** Total documents in the index, the newest event time, and the window the other panels cover. */
    public record Summary(long events, String newest, String windowFrom, String windowTo, String empty) {
    }

    /** One bar of the rate chart: events per second by humans and by bots. */
    public record RatePoint(String time, double human, double bot) {
    }

    public record Rate(int bucketSeconds, List<RatePoint> points, String empty) {
    }

    public record TypeCount(String type, long human, long bot) {
    }

    public record Types(List<TypeCount> types, String empty) {
    }

    public record WikiCount(String wiki, long events) {
    }

    public record TopWikis(List<WikiCount> wikis, String empty) {
    }

    public record PageCount(String serverName, String title, long edits, String url) {
    }

    public record TopPages(List<PageCount> pages, String empty) {
    }

    /** One change as the feed and the biggest-changes panel show it, with its link on the wiki. */
    public record Change(String time, String type, String wiki, String serverName, String title, String user,
                         Boolean bot, Long lengthDelta, String comment, String url) {
    }

    public record BiggestChanges(List<Change> additions, List<Change> removals, String empty) {
    }

    public record Feed(List<Change> changes, String empty) {
    }

    /** What an empty index shows instead of a chart. */
    static final String NO_EVENTS = "No events indexed yet: the pipeline has not delivered any (is the source reachable?"
            + " see /health)";

    private LiveAnswers() {
    }

    static Summary summary(JsonNode answer) {
        long total = answer.path("hits").path("total").path("value").asLong();
        JsonNode newest = answer.path("aggregations").path("newest").path("value_as_string");
        if (total == 0 || newest.isMissingNode() || newest.isNull()) {
            return new Summary(total, null, null, null, NO_EVENTS);
        }
        Instant end = Instant.parse(newest.asText());
        return new Summary(total, end.toString(), end.minus(LiveRequests.WINDOW).toString(), end.toString(), null);
    }

    static Rate rate(JsonNode answer) {
        double seconds = LiveRequests.RATE_BUCKET.toSeconds();
        List<RatePoint> points = new ArrayList<>();
        for (JsonNode bucket : answer.path("aggregations").path("rate").path("buckets")) {
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

    static Types types(JsonNode answer) {
        List<TypeCount> types = new ArrayList<>();
        for (JsonNode bucket : answer.path("aggregations").path("types").path("buckets")) {
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

    static TopWikis topWikis(JsonNode answer) {
        List<WikiCount> wikis = new ArrayList<>();
        for (JsonNode bucket : answer.path("aggregations").path("wikis").path("buckets")) {
            wikis.add(new WikiCount(bucket.path("key").asText(), bucket.path("doc_count").asLong()));
        }
        return new TopWikis(wikis, wikis.isEmpty() ? NO_EVENTS : null);
    }

    static TopPages topPages(JsonNode answer) {
        List<PageCount> pages = new ArrayList<>();
        for (JsonNode bucket : answer.path("aggregations").path("pages").path("buckets")) {
            String server = bucket.path("key").path(0).asText();
            String title = bucket.path("key").path(1).asText();
            pages.add(new PageCount(server, title, bucket.path("doc_count").asLong(), DiffLinks.of(server, null, title, null)));
        }
        return new TopPages(pages, pages.isEmpty() ? "No edits in the last 15 minutes of event time" : null);
    }

    static BiggestChanges biggestChanges(JsonNode answer) {
        List<Change> additions = changes(answer.path("aggregations").path("additions").path("hits").path("hits"));
        List<Change> removals = changes(answer.path("aggregations").path("removals").path("hits").path("hits"));
        additions.removeIf(change -> change.lengthDelta() == null || change.lengthDelta() <= 0);
        removals.removeIf(change -> change.lengthDelta() == null || change.lengthDelta() >= 0);
        return new BiggestChanges(additions, removals,
                additions.isEmpty() && removals.isEmpty() ? "No edits that changed a page's size in the last 15 minutes" : null);
    }

    static Feed feed(JsonNode answer) {
        List<Change> changes = changes(answer.path("hits").path("hits"));
        return new Feed(changes, changes.isEmpty() ? NO_EVENTS : null);
    }

    private static List<Change> changes(JsonNode hits) {
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

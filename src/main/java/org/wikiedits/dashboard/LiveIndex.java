package org.wikiedits.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.camel.Header;
import org.wikiedits.transform.SearchDocument;

/**
 * The live panels' bean ({@code liveIndex}): sends one {@link LiveRequests} request per panel to the
 * index (the embedded node, or {@code wikiedits.opensearch.url}) and answers with the panel's
 * record. The windowed panels need the newest event time: it comes from the summary request,
 * reused for a second so that one page refresh asks for it once.
 */
public final class LiveIndex {

    /** The index (or alias) of the search-document contract. */
    static final String INDEX = SearchDocument.INDEX;
    private static final Duration NEWEST_REUSE = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The panels of {@code /api/live/{panel}}. */
    enum Panel { SUMMARY, RATE, TYPES, TOP_WIKIS, TOP_PAGES, BIGGEST_CHANGES, FEED }

    private final Optional<OpenSearchClient> client;
    private final Clock clock;
    private LiveAnswers.Summary lastSummary;
    private Instant lastSummaryAt = Instant.MIN;

    /** {@code client} empty: no index configured (aws mode without {@code wikiedits.opensearch.url}). */
    public LiveIndex(Optional<OpenSearchClient> client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * The answer of panel {@code name} ({@code summary}, {@code top-wikis}, ...) with at most {@code limit}
     * rows. Bound from the request's headers by annotation, never through an expression: request text is
     * only ever a value.
     */
    public Object panel(@Header("panel") String name, @Header("limit") String limit) {
        Panel panel = panel(name);
        int rows = ApiParameters.limit(limit);
        if (panel == Panel.SUMMARY) {
            return summary(true);
        }
        if (panel == Panel.FEED) {
            return LiveAnswers.feed(search(LiveRequests.feed(rows)));
        }
        LiveAnswers.Summary summary = summary(false);
        if (summary.newest() == null) {
            return empty(panel, summary.empty());
        }
        Instant end = Instant.parse(summary.newest());
        return switch (panel) {
            case RATE -> LiveAnswers.rate(search(LiveRequests.rate(end)));
            case TYPES -> LiveAnswers.types(search(LiveRequests.types(end)));
            case TOP_WIKIS -> LiveAnswers.topWikis(search(LiveRequests.topWikis(end, rows)));
            case TOP_PAGES -> LiveAnswers.topPages(search(LiveRequests.topPages(end, rows)));
            case BIGGEST_CHANGES -> LiveAnswers.biggestChanges(search(LiveRequests.biggestChanges(end, rows)));
            default -> throw new IllegalStateException("unhandled panel " + panel);
        };
    }

    static Panel panel(String name) {
        for (Panel panel : Panel.values()) {
            if (panel.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-').equals(name)) {
                return panel;
            }
        }
        throw new IllegalArgumentException("no live panel '" + (name == null || name.length() > 20 ? "?" : name)
                + "'; the panels are summary, rate, types, top-wikis, top-pages, biggest-changes, feed");
    }

    private synchronized LiveAnswers.Summary summary(boolean fresh) {
        Instant now = clock.instant();
        if (fresh || lastSummary == null || Duration.between(lastSummaryAt, now).compareTo(NEWEST_REUSE) > 0) {
            lastSummary = LiveAnswers.summary(search(LiveRequests.summary()));
            lastSummaryAt = now;
        }
        return lastSummary;
    }

    private static Object empty(Panel panel, String why) {
        return switch (panel) {
            case RATE -> new LiveAnswers.Rate((int) LiveRequests.RATE_BUCKET.toSeconds(), java.util.List.of(), why);
            case TYPES -> new LiveAnswers.Types(java.util.List.of(), why);
            case TOP_WIKIS -> new LiveAnswers.TopWikis(java.util.List.of(), why);
            case TOP_PAGES -> new LiveAnswers.TopPages(java.util.List.of(), why);
            case BIGGEST_CHANGES -> new LiveAnswers.BiggestChanges(java.util.List.of(), java.util.List.of(), why);
            default -> throw new IllegalStateException("unhandled panel " + panel);
        };
    }

    /**
     * One {@code _search} on the index. A missing index reads as an empty one (nothing indexed
     * yet); an unreachable or failing index is a {@link PanelUnavailableException} that says where.
     */
    private JsonNode search(String body) {
        OpenSearchClient search = client.orElseThrow(() -> new PanelUnavailableException(
                "No search index configured: set wikiedits.opensearch.url (aws mode) to see the live panels"));
        try {
            OpenSearchClient.Response response = search.postJson("/" + INDEX + "/_search", body);
            if (response.status() == 404) {
                return JSON.createObjectNode();
            }
            if (!response.isSuccess()) {
                throw new PanelUnavailableException("The search index answered HTTP " + response.status(),
                        "the index at " + search.endpoint().url() + " answered: " + firstLine(response.body()), null);
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new PanelUnavailableException("The search index is not reachable (" + e.getClass().getSimpleName()
                    + "): is OpenSearch running?", "the index at " + search.endpoint().url() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PanelUnavailableException("interrupted while asking the index", null, e);
        }
    }

    private static String firstLine(String text) {
        String line = text == null ? "" : text.lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}

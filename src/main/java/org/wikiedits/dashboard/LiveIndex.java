package org.wikiedits.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.opensearch.client.Request;
import org.opensearch.client.ResponseException;
import org.opensearch.client.RestClient;
import org.wikiedits.sink.index.OpenSearchEndpoint;
import org.wikiedits.transform.SearchDocument;

/**
 * The live panels' bean ({@code liveIndex}): sends the {@link LivePanel}'s request to the index (the
 * embedded node, or {@code wikiedits.opensearch.url}) and answers with the panel's record. It searches
 * through the REST client the {@code opensearch:} component is autowired with (its timeouts, TLS and
 * credentials). The windowed panels need the newest event time: it comes from the summary request,
 * reused for a second so that one page refresh asks for it once.
 */
public final class LiveIndex {

    private static final Duration NEWEST_REUSE = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client;
    private final OpenSearchEndpoint endpoint;
    private final Clock clock;
    private LivePanels.SummaryPanel.Summary lastSummary;
    private Instant lastSummaryAt = Instant.MIN;

    /** The panels of the index at {@code endpoint}, searched through {@code client}. */
    public LiveIndex(RestClient client, OpenSearchEndpoint endpoint, Clock clock) {
        this.client = client;
        this.endpoint = endpoint;
        this.clock = clock;
    }

    /** No index configured (aws mode without {@code wikiedits.opensearch.url}): every panel says what to set. */
    public static LiveIndex unconfigured(Clock clock) {
        return new LiveIndex(null, null, clock);
    }

    /** The parameters of {@code /api/live/{panel}}. */
    static final List<String> PARAMETERS = List.of("limit", "window");

    /**
     * The answer of panel {@code name} ({@code summary}, {@code top-wikis}, ...) with at most {@code limit}
     * rows, over the event time {@code window} ({@code 15m}, {@code 1h}, {@code 24h}, {@code all}). Bound from
     * the request's headers by annotation, never through an expression: request text is only ever a value.
     */
    public Object panel(@Header("panel") String name, @Header("limit") String limit, @Header("window") String window,
                        @Header(Exchange.HTTP_QUERY) String query) {
        LivePanel<?> panel = LivePanels.named(name);
        int rows = ApiParameters.limit(limit);
        LiveWindow.Span span = ApiParameters.window(window);
        ApiParameters.onlyKnown(query, "/api/live/", PARAMETERS);
        if (panel == LivePanels.SUMMARY) {
            return summary(true).over(span);
        }
        if (!panel.windowed()) {
            return panel.answer(search(panel.index(), panel.request(null, rows)));
        }
        LivePanels.SummaryPanel.Summary summary = summary(false);
        if (summary.newest() == null) {
            return panel.empty(summary.empty());
        }
        return panel.answer(search(panel.index(), panel.request(summary.window(span), rows)));
    }

    private synchronized LivePanels.SummaryPanel.Summary summary(boolean fresh) {
        Instant now = clock.instant();
        if (fresh || lastSummary == null || Duration.between(lastSummaryAt, now).compareTo(NEWEST_REUSE) > 0) {
            lastSummary = LivePanels.SUMMARY.answer(search(SearchDocument.INDEX, LivePanels.SUMMARY.request(null, 0)));
            lastSummaryAt = now;
        }
        return lastSummary;
    }

    /**
     * One {@code _search} on {@code index}. A missing index reads as an empty one (nothing indexed
     * yet); an unreachable or failing index is a {@link PanelUnavailableException} that says where.
     */
    private JsonNode search(String index, String body) {
        if (client == null) {
            throw new PanelUnavailableException(
                    "No search index configured: set wikiedits.opensearch.url (aws mode) to see the live panels");
        }
        Request request = new Request("POST", "/" + index + "/_search");
        request.setJsonEntity(body);
        try (InputStream answer = client.performRequest(request).getEntity().getContent()) {
            return JSON.readTree(answer);
        } catch (ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            if (status == 404) {
                return JSON.createObjectNode();
            }
            throw new PanelUnavailableException("The search index answered HTTP " + status,
                    "the index at " + endpoint.url() + " answered: " + firstLine(e.getResponse().getEntity()), null);
        } catch (IOException e) {
            throw new PanelUnavailableException("The search index is not reachable (" + e.getClass().getSimpleName()
                    + "): is OpenSearch running?", "the index at " + endpoint.url() + ": " + e, e);
        }
    }

    private static String firstLine(HttpEntity entity) {
        String text;
        try (InputStream in = entity == null ? InputStream.nullInputStream() : entity.getContent()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            text = "(its body could not be read: " + e + ")";
        }
        String line = text.lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}

package org.wikiedits.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.client.RestClient;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.transport.rest_client.RestClientTransport;
import org.wikiedits.config.ConfiguredSinks;
import org.wikiedits.delivery.Backoff;
import org.wikiedits.sink.index.BulkOutcome;
import org.wikiedits.sink.index.IndexDocument;
import org.wikiedits.sink.index.OpenSearchEndpoint;
import org.wikiedits.sink.index.OpenSearchRestClients;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;
import org.wikiedits.transform.SearchDocument;

/**
 * Replays into the search index over HTTP, beside the running app or without it: bulk requests of
 * index operations with {@code _id} = {@code meta.id} (or, for a Firehose delivery failure, the id
 * Firehose meant to give it), so a document sent twice is one document. The operations and the reading
 * of OpenSearch's answer are the index sink's ({@link IndexDocument#operations}, {@link BulkOutcome}): what it retries
 * (429, 5xx) is retried here a few times with backoff, what it rejects for good is reported as failed again.
 */
final class IndexReplay implements ReplaySink<IndexDocument> {

    static final int BULK_SIZE = 500;
    static final int ATTEMPTS = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenSearchEndpoint endpoint;
    private final RestClient rest;
    private final OpenSearchClient client;
    private final Backoff backoff;

    IndexReplay(OpenSearchEndpoint endpoint, Backoff backoff) {
        this.endpoint = endpoint;
        this.rest = OpenSearchRestClients.create(endpoint);
        this.client = new OpenSearchClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
        this.backoff = backoff;
    }

    @Override
    public String name() {
        return ConfiguredSinks.INDEX;
    }

    @Override
    public IndexDocument prepare(Letter letter) throws Exception {
        if (letter.document() != null) {
            String oneLine = JSON.readTree(letter.document()).toString(); // also proves it is JSON
            return new IndexDocument(letter.documentId(), oneLine, oneLine, 1);
        }
        RecentChange rc = RecentChangeReader.read(letter.raw());
        return new IndexDocument(SearchDocument.id(rc), SearchDocument.toJson(rc), letter.raw(), 1);
    }

    @Override
    public String id(IndexDocument document) {
        return document.id();
    }

    @Override
    public Map<String, String> send(List<IndexDocument> documents) throws InterruptedException {
        Map<String, String> failed = new LinkedHashMap<>();
        for (int from = 0; from < documents.size(); from += BULK_SIZE) {
            failed.putAll(sendBulk(documents.subList(from, Math.min(documents.size(), from + BULK_SIZE))));
        }
        return failed;
    }

    private Map<String, String> sendBulk(List<IndexDocument> bulk) throws InterruptedException {
        Map<String, String> failed = new LinkedHashMap<>();
        List<IndexDocument> unsent = bulk;
        String lastProblem = null;
        for (int attempt = 1; attempt <= ATTEMPTS && !unsent.isEmpty(); attempt++) {
            if (attempt > 1) {
                Thread.sleep(backoff.millisBefore(attempt - 1));
            }
            List<BulkOperation> operations = IndexDocument.operations(unsent).stream()
                    .map(index -> BulkOperation.of(operation -> operation.index(index))).toList();
            BulkResponse response;
            try {
                response = client.bulk(request -> request.index(SearchDocument.INDEX).operations(operations));
            } catch (IOException | RuntimeException e) {
                lastProblem = "OpenSearch at " + endpoint.url() + " did not take the bulk request (" + e.getMessage() + ")";
                continue;
            }
            BulkOutcome outcome = BulkOutcome.of(unsent, response.items());
            outcome.rejected().forEach(rejected -> failed.put(rejected.document().id(), rejected.reason()));
            unsent = new ArrayList<>(outcome.retry());
            lastProblem = outcome.retryReason();
        }
        for (IndexDocument document : unsent) {
            failed.put(document.id(), "still refused after " + ATTEMPTS + " attempts: " + lastProblem);
        }
        return failed;
    }

    @Override
    public void close() throws IOException {
        rest.close();
    }
}

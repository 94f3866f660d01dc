package org.wikiedits.sink.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.transform.SearchDocument;

/**
 * Installs the index template ({@code PUT _index_template/wikiedits}, idempotent) through the REST client
 * the {@code opensearch:} component uses. At start it fails at once on answers that retrying cannot fix
 * (bad credentials, a rejected template); when the cluster is not reachable yet it only warns, and the
 * index route installs the template before its first bulk ({@link #ensureInstalled}).
 */
public final class IndexTemplate {

    /** The index template, shipped in the jar. */
    public static final String RESOURCE = "/opensearch/wikiedits-template.json";

    private static final Logger LOG = LoggerFactory.getLogger(IndexTemplate.class);

    private final RestClient client;
    private final OpenSearchEndpoint endpoint;
    private final String name;
    private final String template;
    private volatile boolean installed;

    public IndexTemplate(RestClient client, OpenSearchEndpoint endpoint) {
        this(client, endpoint, SearchDocument.INDEX, RESOURCE);
    }

    /** The template {@code name} from the jar's {@code resource} (the alerts index has its own). */
    public IndexTemplate(RestClient client, OpenSearchEndpoint endpoint, String name, String resource) {
        this.client = client;
        this.endpoint = endpoint;
        this.name = name;
        this.template = read(resource);
    }

    /** At start: installs the template, or warns when the cluster cannot take it yet. */
    public void install() {
        try {
            put();
        } catch (ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            if (status == 400 || status == 401 || status == 403) {
                throw new IllegalStateException("OpenSearch at " + endpoint.url() + " refused the index template: "
                        + describe(e) + hint(status));
            }
            LOG.warn("OpenSearch at {} is not ready for the index template ({}); it is installed before the first bulk",
                    endpoint.url(), describe(e));
        } catch (IOException e) {
            LOG.warn("OpenSearch at {} is not reachable yet ({}); the index template is installed before the first bulk",
                    endpoint.url(), IndexFailure.describe(e));
        }
    }

    /** Before a bulk: installs the template if the start could not; throws what keeps it from the cluster. */
    public void ensureInstalled() throws IOException {
        if (!installed) {
            try {
                put();
            } catch (ResponseException e) {
                throw new IOException("the index template was refused: " + describe(e)
                        + hint(e.getResponse().getStatusLine().getStatusCode()), e);
            }
        }
    }

    public boolean installed() {
        return installed;
    }

    /** Test seam for route tests whose Bulk endpoint is a stand-in: no cluster to install the template on. */
    void assumeInstalled() {
        installed = true;
    }

    private void put() throws IOException {
        Request request = new Request("PUT", "/_index_template/" + name);
        request.setJsonEntity(template);
        client.performRequest(request);
        installed = true;
        LOG.info("Index template '{}' installed on {}", name, endpoint);
    }

    private static String describe(ResponseException e) {
        Response response = e.getResponse();
        String body = "";
        try {
            body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity()).replaceAll("\\s+", " ");
        } catch (IOException | ParseException ignored) {
            // the status says enough
        }
        return "HTTP " + response.getStatusLine().getStatusCode()
                + (body.isEmpty() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
    }

    static String hint(int status) {
        return status == 401 || status == 403
                ? "; check wikiedits.opensearch.username and wikiedits.opensearch.password and the user's permissions"
                : "";
    }

    private static String read(String resource) {
        try (InputStream in = IndexTemplate.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the index template " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the index template " + resource, e);
        }
    }
}

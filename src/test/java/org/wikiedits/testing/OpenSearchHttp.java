package org.wikiedits.testing;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.client.RestClient;
import org.wikiedits.sink.index.OpenSearchEndpoint;
import org.wikiedits.sink.index.OpenSearchRestClients;

/**
 * Plain requests to an OpenSearch node, for tests that set up, break or inspect the index beside the
 * app: method, path and body in, status and body out (an error status is an answer, not an exception).
 * Over the REST client the app uses ({@link OpenSearchRestClients}).
 */
public final class OpenSearchHttp implements Closeable {

    /** An HTTP answer: status code and body text. */
    public record Answer(int status, String body) {

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    private final OpenSearchEndpoint endpoint;
    private final RestClient client;

    public OpenSearchHttp(OpenSearchEndpoint endpoint) {
        this.endpoint = endpoint;
        this.client = OpenSearchRestClients.create(endpoint);
    }

    public OpenSearchEndpoint endpoint() {
        return endpoint;
    }

    public Answer get(String path) throws IOException {
        return send("GET", path, null);
    }

    public Answer putJson(String path, String json) throws IOException {
        return send("PUT", path, json);
    }

    public Answer postJson(String path, String json) throws IOException {
        return send("POST", path, json);
    }

    /** One request; {@code path} starts with {@code /} and may carry a query; {@code json} may be null. */
    public Answer send(String method, String path, String json) throws IOException {
        int query = path.indexOf('?');
        Request request = new Request(method, query < 0 ? path : path.substring(0, query));
        if (query >= 0) {
            for (String parameter : path.substring(query + 1).split("&")) {
                String[] pair = parameter.split("=", 2);
                request.addParameter(pair[0], pair.length == 2 ? pair[1] : "");
            }
        }
        if (json != null) {
            request.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
        }
        Response response;
        try {
            response = client.performRequest(request);
        } catch (ResponseException e) {
            response = e.getResponse();
        }
        return new Answer(response.getStatusLine().getStatusCode(), text(response.getEntity()));
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    private static String text(HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        try (InputStream in = entity.getContent()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

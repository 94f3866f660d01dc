package org.wikiedits.query.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback proxy between the Athena client and moto_server that records every Athena call
 * ({@code X-Amz-Target} and JSON body, in order) and adds what moto lacks: moto's GetQueryResults
 * always answers the whole result at once and ignores {@code MaxResults}/{@code NextToken}. Here a
 * GetQueryResults call is answered with at most {@code MaxResults} rows of moto's result, starting
 * where the {@code NextToken} points, and a {@code NextToken} while rows remain, as Athena pages.
 */
final class AthenaRecordingProxy implements AutoCloseable {

    /** An Athena API call as the client sent it. */
    record Call(String operation, JsonNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET_PREFIX = "AmazonAthena.";
    private static final String TOKEN_PREFIX = "proxy-offset-";
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "transfer-encoding",
            "expect", "upgrade", "http2-settings", "keep-alive");

    private final String target;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    AthenaRecordingProxy(String target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every Athena call so far, in order. */
    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls of one operation (e.g. {@code StartQueryExecution}), in order. */
    List<JsonNode> calls(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).map(Call::body).toList();
    }

    void clear() {
        calls.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = amzTarget != null && amzTarget.startsWith(TARGET_PREFIX)
                    ? amzTarget.substring(TARGET_PREFIX.length()) : "";
            JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            calls.add(new Call(operation, request));
            if (operation.equals("GetQueryResults")) {
                ObjectNode whole = ((ObjectNode) request.deepCopy());
                whole.remove("MaxResults");
                whole.remove("NextToken");
                HttpResponse<byte[]> response = forward(exchange, JSON.writeValueAsBytes(whole));
                reply(exchange, response.statusCode(), response.statusCode() == 200
                        ? page(JSON.readTree(response.body()), request) : response.body());
                return;
            }
            HttpResponse<byte[]> response = forward(exchange, body);
            reply(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
        }
    }

    /** One page of moto's whole answer, as Athena would send it. */
    private static byte[] page(JsonNode whole, JsonNode request) throws IOException {
        ObjectNode answer = (ObjectNode) whole.deepCopy();
        ArrayNode rows = (ArrayNode) answer.path("ResultSet").path("Rows");
        int offset = request.hasNonNull("NextToken")
                ? Integer.parseInt(request.get("NextToken").asText().substring(TOKEN_PREFIX.length())) : 0;
        int max = request.path("MaxResults").asInt(1000);
        ArrayNode pageRows = JSON.createArrayNode();
        for (int i = offset; i < Math.min(rows.size(), offset + max); i++) {
            pageRows.add(rows.get(i));
        }
        int next = offset + pageRows.size();
        ((ObjectNode) answer.get("ResultSet")).set("Rows", pageRows);
        if (next < rows.size()) {
            answer.put("NextToken", TOKEN_PREFIX + next);
        }
        return JSON.writeValueAsBytes(answer);
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

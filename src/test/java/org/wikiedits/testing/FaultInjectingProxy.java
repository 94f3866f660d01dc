package org.wikiedits.testing;

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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy in front of a real OpenSearch node that can misbehave on request:
 * <ul>
 *   <li>{@link #rejectOnce}: the named documents are held back from the node the first time a
 *       {@code _bulk} carries them, and their items answered 429 {@code es_rejected_execution_exception}
 *       (the other items get the node's real answers, in their original positions);</li>
 *   <li>{@link #setUnreachable}: every connection is dropped without an answer, as when the cluster is down.</li>
 * </ul>
 * It records the document ids of every {@code _bulk} it receives, in order, and how many were open at once.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String target;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Set<String> rejectOnce = new HashSet<>();
    private final List<List<String>> bulkIds = new CopyOnWriteArrayList<>();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger bulksOpen = new AtomicInteger();
    private final AtomicInteger mostBulksOpen = new AtomicInteger();
    private volatile boolean unreachable;

    public FaultInjectingProxy(String target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next bulk that carries any of {@code ids} gets 429 for those items, once each. */
    public synchronized void rejectOnce(Set<String> ids) {
        rejectOnce.addAll(ids);
    }

    public void setUnreachable(boolean unreachable) {
        this.unreachable = unreachable;
    }

    /** Document ids of every bulk request received (including those dropped while unreachable). */
    public List<List<String>> bulkIds() {
        return List.copyOf(bulkIds);
    }

    /** The most {@code _bulk} requests that were being answered at the same time. */
    public int mostBulksAtOnce() {
        return mostBulksOpen.get();
    }

    /** Requests dropped without an answer while unreachable. */
    public int dropped() {
        return dropped.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean bulk = exchange.getRequestURI().getRawPath().endsWith("/_bulk");
        if (bulk) {
            mostBulksOpen.accumulateAndGet(bulksOpen.incrementAndGet(), Math::max);
        }
        try {
            relay(exchange);
        } finally {
            if (bulk) {
                bulksOpen.decrementAndGet();
            }
        }
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            boolean bulk = path.endsWith("/_bulk");
            List<String[]> pairs = bulk ? pairs(body) : List.of();
            if (bulk) {
                List<String> ids = new ArrayList<>();
                for (String[] pair : pairs) {
                    ids.add(idOf(pair[0]));
                }
                bulkIds.add(ids);
            }
            if (unreachable) {
                dropped.incrementAndGet();
                return; // closing the exchange without an answer: the client sees the connection drop
            }
            String forwardPath = path + (query == null ? "" : "?" + query);
            if (!bulk) {
                answer(exchange, forward(exchange.getRequestMethod(), forwardPath, body, exchange));
                return;
            }
            boolean[] rejected = new boolean[pairs.size()];
            StringBuilder forwarded = new StringBuilder();
            synchronized (this) {
                for (int i = 0; i < pairs.size(); i++) {
                    rejected[i] = rejectOnce.remove(idOf(pairs.get(i)[0]));
                    if (!rejected[i]) {
                        forwarded.append(pairs.get(i)[0]).append('\n').append(pairs.get(i)[1]).append('\n');
                    }
                }
            }
            ArrayNode realItems = JSON.createArrayNode();
            boolean errors = false;
            long took = 0;
            if (forwarded.length() > 0) {
                HttpResponse<String> real = forward("POST", forwardPath, forwarded.toString(), exchange);
                if (real.statusCode() != 200) {
                    answer(exchange, real);
                    return;
                }
                JsonNode realBody = JSON.readTree(real.body());
                errors = realBody.path("errors").asBoolean();
                took = realBody.path("took").asLong();
                realItems = (ArrayNode) realBody.path("items");
            }
            ObjectNode merged = JSON.createObjectNode();
            merged.put("took", took); // required by the opensearch-java client, as in every real answer
            ArrayNode items = merged.putArray("items");
            int next = 0;
            for (int i = 0; i < rejected.length; i++) {
                if (rejected[i]) {
                    // as OpenSearch answers an item it refuses for now
                    ObjectNode item = items.addObject().putObject("index");
                    item.put("_index", "wikiedits");
                    item.put("_id", idOf(pairs.get(i)[0]));
                    item.put("status", 429);
                    item.putObject("error").put("type", "es_rejected_execution_exception")
                            .put("reason", "rejected by the fault-injecting proxy");
                    errors = true;
                } else {
                    items.add(realItems.get(next++));
                }
            }
            merged.put("errors", errors);
            send(exchange, 200, JSON.writeValueAsString(merged));
        }
    }

    private HttpResponse<String> forward(String method, String path, String body, HttpExchange exchange) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void answer(HttpExchange exchange, HttpResponse<String> response) throws IOException {
        send(exchange, response.statusCode(), response.body());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String idOf(String actionLine) throws IOException {
        return JSON.readTree(actionLine).path("index").path("_id").asText();
    }

    private static List<String[]> pairs(String ndjson) {
        String[] lines = ndjson.split("\n");
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < lines.length; i += 2) {
            pairs.add(new String[] {lines[i], lines[i + 1]});
        }
        return pairs;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

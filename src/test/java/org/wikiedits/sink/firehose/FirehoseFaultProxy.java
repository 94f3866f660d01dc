package org.wikiedits.sink.firehose;

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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A loopback proxy between the Firehose client and moto_server, because moto always answers
 * PutRecordBatch with {@code FailedPutCount: 0}. For PutRecordBatch it can refuse entries the way
 * Firehose does under load ({@code ErrorCode: ServiceUnavailableException} on those entries, the
 * others accepted, in request order): the accepted records alone are forwarded to moto, so moto's
 * S3 objects hold exactly what was acknowledged. It records, per delivery stream, what the app sent
 * and what was forwarded, call by call. Everything else passes through unchanged.
 */
final class FirehoseFaultProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUT_RECORD_BATCH = "Firehose_20150804.PutRecordBatch";
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "transfer-encoding",
            "expect", "upgrade", "http2-settings", "keep-alive");

    private final String target;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, List<List<String>>> received = new ConcurrentHashMap<>();
    private final Map<String, List<List<String>>> forwarded = new ConcurrentHashMap<>();
    private final Map<String, Predicate<String>> refuseOnce = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> refusedOnce = new ConcurrentHashMap<>();
    private final Set<String> refuseAll = ConcurrentHashMap.newKeySet();

    FirehoseFaultProxy(String target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The first time {@code stream} receives a record whose payload matches, that entry is refused. */
    void refuseOnce(String stream, Predicate<String> payloads) {
        refuseOnce.put(stream, payloads);
    }

    /** While on, every entry sent to {@code stream} is refused (the stream is overloaded). */
    void refuseAll(String stream, boolean on) {
        if (on) {
            refuseAll.add(stream);
        } else {
            refuseAll.remove(stream);
        }
    }

    /** The payloads of every PutRecordBatch the app sent to {@code stream}, call by call. */
    List<List<String>> received(String stream) {
        return List.copyOf(received.getOrDefault(stream, List.of()));
    }

    /** The payloads forwarded to moto (acknowledged to the app), call by call. */
    List<List<String>> forwarded(String stream) {
        return List.copyOf(forwarded.getOrDefault(stream, List.of()));
    }

    /** The payloads refused once so far. */
    Set<String> refusedOnce(String stream) {
        return Set.copyOf(refusedOnce.getOrDefault(stream, Set.of()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!PUT_RECORD_BATCH.equals(exchange.getRequestHeaders().getFirst("X-Amz-Target"))) {
                HttpResponse<byte[]> response = forward(exchange, body);
                reply(exchange, response.statusCode(), response.body());
                return;
            }
            Answer answer = putRecordBatch(exchange, (ObjectNode) JSON.readTree(body));
            reply(exchange, answer.status(), answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
        }
    }

    private record Answer(int status, byte[] body) {
    }

    private Answer putRecordBatch(HttpExchange exchange, ObjectNode request) throws IOException, InterruptedException {
        String stream = request.path("DeliveryStreamName").asText();
        List<String> payloads = new ArrayList<>();
        request.path("Records").forEach(r -> payloads.add(decode(r.path("Data").asText())));
        received.computeIfAbsent(stream, s -> new CopyOnWriteArrayList<>()).add(payloads);

        boolean[] refused = new boolean[payloads.size()];
        ArrayNode accepted = JSON.createArrayNode();
        List<String> acceptedPayloads = new ArrayList<>();
        Set<String> alreadyRefused = refusedOnce.computeIfAbsent(stream, s -> ConcurrentHashMap.newKeySet());
        Predicate<String> once = refuseOnce.getOrDefault(stream, p -> false);
        for (int i = 0; i < payloads.size(); i++) {
            String payload = payloads.get(i);
            refused[i] = refuseAll.contains(stream) || (once.test(payload) && alreadyRefused.add(payload));
            if (!refused[i]) {
                accepted.add(request.path("Records").get(i));
                acceptedPayloads.add(payload);
            }
        }
        List<String> recordIds = new ArrayList<>();
        if (!acceptedPayloads.isEmpty()) {
            ObjectNode subset = request.deepCopy();
            subset.set("Records", accepted);
            HttpResponse<byte[]> response = forward(exchange, JSON.writeValueAsBytes(subset));
            if (response.statusCode() != 200) {
                return new Answer(response.statusCode(), response.body()); // moto's own error, as is
            }
            JSON.readTree(response.body()).path("RequestResponses").forEach(e -> recordIds.add(e.path("RecordId").asText()));
            forwarded.computeIfAbsent(stream, s -> new CopyOnWriteArrayList<>()).add(acceptedPayloads);
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode entries = JSON.createArrayNode();
        int failed = 0;
        int next = 0;
        for (boolean refusedEntry : refused) {
            if (refusedEntry) {
                failed++;
                entries.addObject().put("ErrorCode", "ServiceUnavailableException").put("ErrorMessage", "Slow down.");
            } else {
                entries.addObject().put("RecordId", recordIds.get(next++));
            }
        }
        answer.put("FailedPutCount", failed).put("Encrypted", false).set("RequestResponses", entries);
        return new Answer(200, JSON.writeValueAsBytes(answer));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
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

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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Executors;

/**
 * An HTTP proxy on loopback in front of kinesalite that makes PutRecords fail partly, as Kinesis
 * does under load: the entries the {@link Policy} picks are not forwarded and are answered with
 * {@code ProvisionedThroughputExceededException}; the others go to kinesalite and get its answers.
 * Every PutRecords call is recorded (what the client sent, what was refused). It can also expire every
 * shard iterator handed out so far ({@link #expireIssuedIterators}), as Kinesis does five minutes after
 * issuing one, without waiting five minutes. Needs the JSON protocol
 * (CBOR off), which the app uses whenever an endpoint override is set.
 */
public final class FaultInjectingKinesisProxy implements AutoCloseable {

    /** Picks, for the n-th PutRecords call (from 0), the indexes of the entries to refuse. */
    @FunctionalInterface
    public interface Policy {
        Set<Integer> refuse(int call, int entries);
    }

    /** One PutRecords call: partition keys and data (base64) as sent, and the refused indexes. */
    public record Call(List<String> partitionKeys, List<String> data, Set<Integer> refused) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding");

    private final HttpServer server;
    private final URI target;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Policy policy = (call, entries) -> Set.of();
    private final Set<String> issuedIterators = ConcurrentHashMap.newKeySet();
    private final Set<String> expiredIterators = ConcurrentHashMap.newKeySet();
    private final AtomicInteger expiredAnswers = new AtomicInteger();
    /** How often {@link #expireIssuedIterators} was called: an answer in flight across a call expires too. */
    private final AtomicLong expiries = new AtomicLong();

    private FaultInjectingKinesisProxy(HttpServer server, URI target) {
        this.server = server;
        this.target = target;
    }

    public static FaultInjectingKinesisProxy start(URI target) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FaultInjectingKinesisProxy proxy = new FaultInjectingKinesisProxy(server, target);
        server.createContext("/", proxy::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return proxy;
    }

    public void policy(Policy policy) {
        this.policy = policy;
    }

    /** Every shard iterator issued so far expires: a GetRecords with one of them is answered with ExpiredIteratorException. */
    public void expireIssuedIterators() {
        expiries.incrementAndGet();
        expiredIterators.addAll(issuedIterators);
    }

    /** How many GetRecords calls were answered with ExpiredIteratorException. */
    public int expiredIteratorAnswers() {
        return expiredAnswers.get();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String operation = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (operation != null && operation.endsWith(".PutRecords")) {
                putRecords(exchange, body);
            } else if (operation != null && operation.endsWith(".GetRecords")
                    && expiredIterators.contains(MAPPER.readTree(body).path("ShardIterator").asText())) {
                expiredAnswers.incrementAndGet();
                reply(exchange, 400, "application/x-amz-json-1.1", ("{\"__type\":\"ExpiredIteratorException\","
                        + "\"message\":\"Iterator expired (injected by the test proxy)\"}").getBytes());
            } else {
                long expiriesBefore = expiries.get();
                HttpResponse<byte[]> response = forward(exchange, body);
                if (response.statusCode() == 200 && operation != null
                        && (operation.endsWith(".GetRecords") || operation.endsWith(".GetShardIterator"))) {
                    JsonNode answer = MAPPER.readTree(response.body());
                    for (String field : List.of("NextShardIterator", "ShardIterator")) {
                        if (answer.hasNonNull(field)) {
                            String iterator = answer.get(field).asText();
                            issuedIterators.add(iterator);
                            // issued by a call that was under way when the test expired the issued ones: it
                            // was handed out before the expiry too, but may have missed the set above
                            if (expiries.get() != expiriesBefore) {
                                expiredIterators.add(iterator);
                            }
                        }
                    }
                }
                reply(exchange, response.statusCode(), response.headers().firstValue("Content-Type").orElse("application/json"),
                        response.body());
            }
        } catch (Exception e) {
            reply(exchange, 500, "application/x-amz-json-1.1",
                    ("{\"__type\":\"InternalFailure\",\"message\":\"proxy: " + e + "\"}").getBytes());
        } finally {
            exchange.close();
        }
    }

    private synchronized void putRecords(HttpExchange exchange, byte[] body) throws Exception {
        ObjectNode request = (ObjectNode) MAPPER.readTree(body);
        ArrayNode records = (ArrayNode) request.get("Records");
        Set<Integer> refused = new HashSet<>(policy.refuse(calls.size(), records.size()));
        List<String> keys = new ArrayList<>();
        List<String> data = new ArrayList<>();
        ArrayNode forwarded = MAPPER.createArrayNode();
        for (int i = 0; i < records.size(); i++) {
            keys.add(records.get(i).get("PartitionKey").asText());
            data.add(records.get(i).get("Data").asText());
            if (!refused.contains(i)) {
                forwarded.add(records.get(i));
            }
        }
        calls.add(new Call(keys, data, Set.copyOf(refused)));
        JsonNode answers = MAPPER.createArrayNode();
        if (!forwarded.isEmpty()) {
            request.set("Records", forwarded);
            HttpResponse<byte[]> response = forward(exchange, MAPPER.writeValueAsBytes(request));
            if (response.statusCode() != 200) {
                reply(exchange, response.statusCode(), "application/x-amz-json-1.1", response.body());
                return;
            }
            answers = MAPPER.readTree(response.body()).get("Records");
        }
        ArrayNode merged = MAPPER.createArrayNode();
        int next = 0;
        int failed = 0;
        for (int i = 0; i < records.size(); i++) {
            if (refused.contains(i)) {
                merged.addObject().put("ErrorCode", "ProvisionedThroughputExceededException")
                        .put("ErrorMessage", "Rate exceeded for shard (injected by the test proxy)");
                failed++;
            } else {
                JsonNode answer = answers.get(next++);
                merged.add(answer);
                if (answer.hasNonNull("ErrorCode")) {
                    failed++;
                }
            }
        }
        ObjectNode response = MAPPER.createObjectNode();
        response.put("FailedRecordCount", failed);
        response.set("Records", merged);
        reply(exchange, 200, "application/x-amz-json-1.1", MAPPER.writeValueAsBytes(response));
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void reply(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

package org.wikiedits.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.wikiedits.transform.MalformedEventException;
import org.wikiedits.transform.RecentChange;
import org.wikiedits.transform.RecentChangeReader;
import org.wikiedits.transform.SearchDocument;

/**
 * The index's limit: the project's own search documents of the bench events, sent with plain {@code _bulk}
 * requests straight to the node, for each bulk size and number of client threads, each pair into a fresh index
 * that the shipped template matches ({@code wikiedits*}: same settings and mapping as the app's), deleted after.
 */
final class RawBulk {

    /** One measured pair. */
    record Rate(int bulkSize, int threads, int documents, double docsPerSecond) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String node;
    /** Per document, its bulk action line and its source line. */
    private final List<byte[]> lines;

    private RawBulk(String node, List<byte[]> lines) {
        this.node = node;
        this.lines = lines;
    }

    /** Prepares the search documents of the first {@code documents} non-canary events. */
    static RawBulk of(String node, List<String> events, int documents) {
        List<byte[]> lines = new ArrayList<>(documents);
        for (int i = 0; i < events.size() && lines.size() < documents; i++) {
            try {
                RecentChange rc = RecentChangeReader.read(events.get(i));
                if (!rc.isCanary()) {
                    lines.add(("{\"index\":{\"_id\":\"" + SearchDocument.id(rc) + "\"}}\n" + SearchDocument.toJson(rc) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
            } catch (MalformedEventException e) {
                throw new IllegalStateException("a generated event cannot be read", e);
            }
        }
        return new RawBulk(node, lines);
    }

    int documents() {
        return lines.size();
    }

    /** Indexes every document into a fresh index with {@code threads} clients of {@code bulkSize} documents a request. */
    Rate measure(int bulkSize, int threads) throws Exception {
        String index = String.format(Locale.ROOT, "wikiedits-raw-bulk-%d-%d", bulkSize, threads);
        List<byte[]> bodies = bodies(bulkSize);
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(clients.submit(() -> {
                    for (int b = next.getAndIncrement(); b < bodies.size(); b = next.getAndIncrement()) {
                        send("POST", "/" + index + "/_bulk", bodies.get(b));
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        long nanos = System.nanoTime() - start;
        send("DELETE", "/" + index, new byte[0]);
        return new Rate(bulkSize, threads, lines.size(), lines.size() * 1e9 / nanos);
    }

    private List<byte[]> bodies(int bulkSize) {
        List<byte[]> bodies = new ArrayList<>();
        for (int from = 0; from < lines.size(); from += bulkSize) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            lines.subList(from, Math.min(lines.size(), from + bulkSize)).forEach(body::writeBytes);
            bodies.add(body.toByteArray());
        }
        return bodies;
    }

    private void send(String method, String path, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node + path))
                .header("Content-Type", "application/x-ndjson")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300 || response.body().startsWith("{\"took\"") && response.body().contains("\"errors\":true")) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(500, response.body().length())));
        }
    }
}

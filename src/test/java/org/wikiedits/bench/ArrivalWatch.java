package org.wikiedits.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import org.wikiedits.testing.SseTestServer;

/**
 * Per-event latency from receipt to searchable and to lake-visible, for a sample of the events (every
 * {@code every}-th of a range, and its last): receipt is when the SSE test server wrote the event to the app's
 * connection; searchable is when an {@code ids} search (which sees only refreshed documents) first finds it, polled
 * every {@value #INDEX_POLL_MILLIS} ms; lake-visible is when a committed lake file holding it is first seen,
 * polled every {@value #LAKE_POLL_MILLIS} ms. So each figure is late by at most its poll interval.
 */
final class ArrivalWatch implements AutoCloseable {

    static final int INDEX_POLL_MILLIS = 100;
    static final int LAKE_POLL_MILLIS = 250;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Percentiles of one sink's latencies, in milliseconds, over {@code found} of {@code sampled} events. */
    record Latency(int sampled, int found, long p50Millis, long p99Millis, long maxMillis) {
        @Override
        public String toString() {
            return found == 0 ? "n/a" : "p50 " + p50Millis + " ms, p99 " + p99Millis + " ms, max " + maxMillis + " ms (" + found + " of " + sampled + " sampled events)";
        }
    }

    private final SseTestServer server;
    private final int[] samples;
    private final Map<String, Integer> sampleOfId = new HashMap<>();
    private final String[] ids;
    private final AtomicLongArray searchableAt;
    private final AtomicLongArray lakeAt;
    private final String node;
    private final Path lake;
    private final Set<Path> lakeFilesRead = new HashSet<>();
    private final List<Thread> pollers = new ArrayList<>();
    private volatile boolean closed;

    /** Watches events {@code from} (inclusive) to {@code to} (exclusive) of {@code events}; null {@code node} or {@code lake}: that sink is not watched. */
    ArrivalWatch(SseTestServer server, List<String> events, int from, int to, int every, String node, Path lake) {
        this.server = server;
        List<Integer> picked = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (((i - from) % every == 0 || i == to - 1) && !BenchEvents.isCanary(events.get(i))) {
                picked.add(i);
            }
        }
        this.samples = picked.stream().mapToInt(Integer::intValue).toArray();
        this.ids = new String[samples.length];
        for (int s = 0; s < samples.length; s++) {
            ids[s] = BenchEvents.eventId(samples[s]);
            sampleOfId.put(ids[s], s);
        }
        this.searchableAt = new AtomicLongArray(samples.length);
        this.lakeAt = new AtomicLongArray(samples.length);
        this.node = node;
        this.lake = lake;
        if (node != null) {
            poll("watch-index", INDEX_POLL_MILLIS, this::pollIndex);
        }
        if (lake != null) {
            poll("watch-lake", LAKE_POLL_MILLIS, this::pollLake);
        }
    }

    private interface Poll {
        void run() throws Exception;
    }

    private void poll(String name, int millis, Poll poll) {
        Thread thread = new Thread(() -> {
            while (!closed) {
                try {
                    poll.run();
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // the node or the folder is not there yet: next time
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        pollers.add(thread);
    }

    private void pollIndex() throws IOException, InterruptedException {
        List<String> pending = new ArrayList<>();
        for (int s = 0; s < samples.length && pending.size() < 1000; s++) {
            if (searchableAt.get(s) == 0 && server.sentAtNanos(samples[s]) != 0) {
                pending.add(ids[s]);
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        String query = "{\"size\":" + pending.size() + ",\"_source\":false,\"query\":{\"ids\":{\"values\":"
                + JSON.writeValueAsString(pending) + "}}}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node + "/wikiedits/_search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(query)).build(),
                HttpResponse.BodyHandlers.ofString());
        long now = System.nanoTime();
        if (response.statusCode() == 200) {
            for (JsonNode hit : JSON.readTree(response.body()).path("hits").path("hits")) {
                Integer s = sampleOfId.get(hit.path("_id").asText());
                if (s != null) {
                    searchableAt.compareAndSet(s, 0, now);
                }
            }
        }
    }

    private void pollLake() throws IOException {
        if (!Files.isDirectory(lake)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(lake)) {
            files = walk.filter(file -> file.getFileName().toString().endsWith(".csv") && !file.getFileName().toString().startsWith("."))
                    .filter(file -> !lakeFilesRead.contains(file)).toList();
        }
        long now = System.nanoTime();
        for (Path file : files) {
            try (BufferedReader rows = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String row;
                while ((row = rows.readLine()) != null) {
                    int comma = row.indexOf(',');
                    Integer s = sampleOfId.get(comma < 0 ? row : row.substring(0, comma));
                    if (s != null) {
                        lakeAt.compareAndSet(s, 0, now);
                    }
                }
            }
            lakeFilesRead.add(file);
        }
    }

    /** Waits until every sampled event is found in each watched sink, or the deadline passes; true when all were found. */
    boolean awaitAll(long deadlineNanos) throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            if ((node == null || allFound(searchableAt)) && (lake == null || allFound(lakeAt))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static boolean allFound(AtomicLongArray at) {
        for (int s = 0; s < at.length(); s++) {
            if (at.get(s) == 0) {
                return false;
            }
        }
        return true;
    }

    Latency searchable() {
        return latency(searchableAt);
    }

    Latency lakeVisible() {
        return latency(lakeAt);
    }

    private Latency latency(AtomicLongArray at) {
        long[] millis = new long[samples.length];
        int found = 0;
        for (int s = 0; s < samples.length; s++) {
            long sent = server.sentAtNanos(samples[s]);
            if (at.get(s) != 0 && sent != 0) {
                millis[found++] = Math.max(0, (at.get(s) - sent) / 1_000_000);
            }
        }
        long[] sorted = Arrays.copyOf(millis, found);
        Arrays.sort(sorted);
        return found == 0 ? new Latency(samples.length, 0, 0, 0, 0)
                : new Latency(samples.length, found, rank(sorted, 0.50), rank(sorted, 0.99), sorted[found - 1]);
    }

    /** Nearest-rank percentile. */
    private static long rank(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    @Override
    public void close() {
        closed = true;
        pollers.forEach(Thread::interrupt);
    }
}

package org.wikiedits.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Server-Sent Events server on 127.0.0.1 (a free port) for tests: it serves a fixed list of event
 * JSON lines, each with an {@code id:} shaped like Wikimedia's (a JSON array with topic, partition
 * and offset), resumes after the {@code Last-Event-ID} a client sends, and records every request.
 * The next connections can be scripted ({@link #then}) with faults: an HTTP error (with
 * {@code Retry-After}), a disconnect after N events, a cut in the middle of an event, a stall that
 * trips the client's idle timeout, {@code retry:} lines, comments, events split across flushes,
 * other line endings, a BOM. Unscripted connections serve every remaining event and then stay open
 * and silent until the server closes, like a quiet live stream.
 *
 * <pre>{@code
 * try (SseTestServer server = SseTestServer.start(events)) {
 *     server.then(SseTestServer.Connection.status(503))
 *           .then(SseTestServer.Connection.serve(3));
 *     ... connect to server.url() ...
 *     assertThat(server.request(1).header("Last-Event-ID")).isEqualTo(server.idOf(3));
 * }
 * }</pre>
 */
public final class SseTestServer implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Pattern OFFSET = Pattern.compile(
            "\\[\\{\"topic\":\"eqiad\\.mediawiki\\.recentchange\",\"partition\":0,\"offset\":(\\d+)}]");

    /** Grows with {@link #publish}, like a live stream. */
    private final Growing events;
    /** Events given as bytes (not valid UTF-8, say), by index; {@link #events} holds their lossy decoding. */
    private final Map<Integer, byte[]> rawEvents = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Duration timestampReplay; // non-null: Wikimedia's timestamp-style ids
    private final Object published = new Object();
    /** Bumped by {@link #disconnectAll}: a connection that started under an older value ends. */
    private final AtomicInteger generation = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService executor;
    private final Queue<Connection> scripts = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Connection defaultConnection = Connection.serveAll();
    /** How many events (from the first) connections may serve; see {@link #releaseUpTo}. */
    private int released = Integer.MAX_VALUE;
    /** When each event was last written, by index (0: not yet), or null; see {@link #recordingSendTimes}. */
    private volatile long[] sentAt;

    private SseTestServer(List<String> events, int port) throws IOException {
        // not copied: a soak serves a computed list far larger than memory would hold as strings;
        // events published later are appended after it
        this.events = new Growing(events);
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "sse-test-server-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server that serves {@code eventJsonLines} (one event JSON per element) at {@link #url()}. */
    public static SseTestServer start(List<String> eventJsonLines) throws IOException {
        return new SseTestServer(eventJsonLines, 0);
    }

    /** Like {@link #start(List)} on a given loopback port: for a stream that becomes reachable later. */
    public static SseTestServer start(List<String> eventJsonLines, int port) throws IOException {
        return new SseTestServer(eventJsonLines, port);
    }

    /** The id of event {@code number} (1-based), as a Wikimedia-shaped JSON array. */
    public static String wikimediaStyleId(int number) {
        return "[{\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,\"offset\":" + (1000 + number) + "}]";
    }

    /**
     * Gives every event a timestamp-style id, {@code [{"topic":...,"partition":0,"timestamp":MILLIS}]}
     * with the event's {@code meta.dt} (else the previous event's), as Wikimedia's stream does today,
     * and resumes a {@code Last-Event-ID} with a timestamp the way Kafka's offsets-for-times does, only
     * approximately: from the first event not older than the timestamp minus {@code replay}, so events
     * already delivered are sent again. A timestamp before every event starts at the first one.
     */
    public SseTestServer withTimestampIds(Duration replay) {
        timestampReplay = replay;
        return this;
    }

    /** Adds events at the end of the stream: connections that serve everything send them too, as a live stream does. */
    public SseTestServer publish(List<String> more) {
        synchronized (published) {
            events.addAll(more);
            published.notifyAll();
        }
        return this;
    }

    /** Adds one event whose {@code data:} line is these bytes, as they are (for invalid UTF-8). */
    public SseTestServer publishBytes(byte[] data) {
        synchronized (published) {
            rawEvents.put(events.size(), data.clone());
            events.add(new String(data, StandardCharsets.UTF_8));
            published.notifyAll();
        }
        return this;
    }

    /** Ends every open response at once (the next scripted connections then take over), as a server restart would. */
    public SseTestServer disconnectAll() {
        synchronized (published) {
            generation.incrementAndGet();
            published.notifyAll();
        }
        return this;
    }

    /** {@code http://127.0.0.1:PORT/v2/stream/recentchange}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v2/stream/recentchange";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The events served, in order. */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** The {@code id:} of event {@code number} (1-based). */
    public String idOf(int number) {
        Objects.checkIndex(number - 1, events.size());
        if (timestampReplay == null) {
            return wikimediaStyleId(number);
        }
        return "[{\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,\"timestamp\":"
                + timestampOf(number - 1) + "}]";
    }

    /** The timestamp of event {@code index} (0-based): its meta.dt, else the previous event's, else 0. */
    private long timestampOf(int index) {
        for (int i = index; i >= 0; i--) {
            java.util.Optional<java.time.Instant> time = org.wikiedits.source.EventTime.metaDt(events.get(i));
            if (time.isPresent()) {
                return time.get().toEpochMilli();
            }
        }
        return 0;
    }

    /** Scripts the next unscripted connection; scripts are used once each, in the order given. */
    public SseTestServer then(Connection script) {
        scripts.add(script);
        return this;
    }

    /** What connections do once the scripts are used up (default: {@link Connection#serveAll()}). */
    public SseTestServer otherwise(Connection script) {
        defaultConnection = script;
        return this;
    }

    /**
     * Lets connections serve events up to number {@code count} (1-based) and holds them before the next until a
     * later call releases more, as a live stream that has nothing new yet: for tests that change something
     * between parts of the stream. By default every event is released.
     */
    public synchronized SseTestServer releaseUpTo(int count) {
        released = count;
        notifyAll();
        return this;
    }

    /** Waits until event {@code index} (0-based) is released; false when the server closes first. */
    private synchronized boolean awaitReleased(int index) throws InterruptedException {
        while (index >= released) {
            if (closing.getCount() == 0) {
                return false;
            }
            wait(200);
        }
        return true;
    }

    /** Records when each event given at the start is written to a connection: for latency measured from receipt. */
    public SseTestServer recordingSendTimes() {
        sentAt = new long[events.size()];
        return this;
    }

    /** {@link System#nanoTime()} when event {@code index} (0-based) was last written, 0 before (see {@link #recordingSendTimes}). */
    public long sentAtNanos(int index) {
        return sentAt[index];
    }

    /** Every request so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Request {@code index} (0-based). */
    public RecordedRequest request(int index) {
        return requests.get(index);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        requests.add(new RecordedRequest(System.nanoTime(), exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(), Collections.unmodifiableMap(headers)));
        Connection script = scripts.poll();
        if (script == null) {
            script = defaultConnection;
        }
        try {
            if (script.status != 200) {
                refuse(exchange, script);
            } else {
                stream(exchange, script, startAfter(exchange.getRequestHeaders().getFirst("Last-Event-ID")));
            }
        } catch (IOException e) {
            // the client went away: normal for a stream
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    /** The index of the first event to serve: the one after {@code Last-Event-ID}, or the first for an unknown id. */
    private int startAfter(String lastEventId) {
        if (lastEventId == null) {
            return 0;
        }
        java.util.regex.Matcher timestamp = java.util.regex.Pattern.compile("\"timestamp\":(\\d+)").matcher(lastEventId);
        if (timestampReplay != null && timestamp.find()) {
            long from = Long.parseLong(timestamp.group(1)) - timestampReplay.toMillis();
            for (int i = 0; i < events.size(); i++) {
                if (timestampOf(i) >= from) {
                    return i;
                }
            }
            return events.size();
        }
        Matcher offset = OFFSET.matcher(lastEventId);
        if (!offset.matches()) {
            return 0;
        }
        long number = Long.parseLong(offset.group(1)) - 1000;
        return number >= 1 && number <= events.size() ? (int) number : 0;
    }

    private static void refuse(HttpExchange exchange, Connection script) throws IOException {
        byte[] body = ("{\"status\":" + script.status + ",\"detail\":\"scripted failure\"}").getBytes(StandardCharsets.UTF_8);
        if (script.retryAfter != null) {
            exchange.getResponseHeaders().add("Retry-After", script.retryAfter);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(script.status, body.length);
        exchange.getResponseBody().write(body);
    }

    private void stream(HttpExchange exchange, Connection script, int start) throws IOException, InterruptedException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        String eol = script.lineEnding;
        if (script.bom) {
            write(out, script, "\uFEFF".getBytes(StandardCharsets.UTF_8));
        }
        if (script.retryMillis >= 0) {
            write(out, script, ("retry: " + script.retryMillis + eol + eol).getBytes(StandardCharsets.UTF_8));
        }
        int end = script.events < 0 ? events.size() : Math.min(events.size(), start + script.events);
        int started = generation.get();
        long cutAt = script.cutAfter == null ? Long.MAX_VALUE : System.nanoTime() + script.cutAfter.toNanos();
        int i = start;
        for (; i < end; i++) {
            if (!awaitReleased(i)) {
                return; // the server is closing
            }
            if (System.nanoTime() >= cutAt || generation.get() != started) {
                return; // the server's time limit per connection (Wikimedia's is about 15 minutes)
            }
            if (script.live != null && awaitPublished(script.live, i)) {
                return; // the server is closing
            }
            if (script.comments) {
                write(out, script, (": keep-alive, not an event" + eol).getBytes(StandardCharsets.UTF_8));
            }
            write(out, script, eventBytes(i, eol));
            long[] times = sentAt;
            if (times != null && i < times.length) {
                times[i] = System.nanoTime();
            }
            if (script.eventInterval != null && closing.await(script.eventInterval.toMillis(), TimeUnit.MILLISECONDS)) {
                return; // the server is closing
            }
        }
        if (script.cutMidEvent && end < events.size()) {
            byte[] next = eventBytes(end, eol);
            out.write(next, 0, next.length / 2);
            out.flush();
            return;
        }
        if (script.stall != null) {
            closing.await(script.stall.toMillis(), TimeUnit.MILLISECONDS);
        } else if (script.events < 0) {
            servePublished(out, script, i, cutAt, started); // a quiet live stream: open until the server stops
        }
    }

    /** Sends events as they are published, until the server closes. */
    private void servePublished(OutputStream out, Connection script, int next, long cutAt, int started)
            throws IOException, InterruptedException {
        int i = next;
        while (closing.getCount() > 0 && System.nanoTime() < cutAt && generation.get() == started) {
            synchronized (published) {
                if (i >= events.size()) {
                    published.wait(100);
                    continue;
                }
            }
            write(out, script, eventBytes(i, script.lineEnding));
            i++;
        }
    }

    private byte[] eventBytes(int index, String eol) {
        byte[] raw = rawEvents.get(index);
        if (raw == null) {
            return ("event: message" + eol + "id: " + idOf(index + 1) + eol + "data: " + events.get(index) + eol + eol)
                    .getBytes(StandardCharsets.UTF_8);
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes(("event: message" + eol + "id: " + idOf(index + 1) + eol + "data: ").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(raw);
        bytes.writeBytes((eol + eol).getBytes(StandardCharsets.UTF_8));
        return bytes.toByteArray();
    }

    /** Waits until event {@code index} is published on the live clock; true when the server closes meanwhile. */
    private boolean awaitPublished(LiveClock live, int index) throws InterruptedException {
        long wait = live.publishedAtNanos(index) - System.nanoTime();
        return wait > 0 && closing.await(wait, TimeUnit.NANOSECONDS);
    }

    private static void write(OutputStream out, Connection script, byte[] bytes) throws IOException, InterruptedException {
        if (script.splitBytes <= 0) {
            out.write(bytes);
            out.flush();
            return;
        }
        for (int offset = 0; offset < bytes.length; offset += script.splitBytes) {
            out.write(bytes, offset, Math.min(script.splitBytes, bytes.length - offset));
            out.flush();
            Thread.sleep(1); // separate network reads, so pieces (even of one UTF-8 character) arrive apart
        }
    }

    /** What one connection does. Start with a factory method, then adjust with the {@code with...} methods. */
    public static final class Connection {
        private int status = 200;
        private String retryAfter;
        private int events = -1;
        private boolean cutMidEvent;
        private Duration stall;
        private long retryMillis = -1;
        private boolean comments;
        private int splitBytes;
        private String lineEnding = "\n";
        private boolean bom;
        private Duration eventInterval;
        private Duration cutAfter;
        private LiveClock live;

        private Connection() {
        }

        /** Serves every remaining event, then stays open and silent until the server closes. */
        public static Connection serveAll() {
            return new Connection();
        }

        /** Serves the next {@code count} events, then ends the response (a server-side disconnect). */
        public static Connection serve(int count) {
            Connection connection = new Connection();
            connection.events = count;
            return connection;
        }

        /** Answers with this HTTP status and a small JSON body, no events. */
        public static Connection status(int status) {
            Connection connection = new Connection();
            connection.status = status;
            return connection;
        }

        /** Adds a {@code Retry-After} header (seconds or an HTTP date) to an error status. */
        public Connection withRetryAfter(String value) {
            retryAfter = value;
            return this;
        }

        /** After the served events, writes half of the next event and ends the response. */
        public Connection withCutMidEvent() {
            cutMidEvent = true;
            return this;
        }

        /** After the served events, stays open and silent for {@code duration}, then ends the response. */
        public Connection withStall(Duration duration) {
            stall = duration;
            return this;
        }

        /** Sends {@code retry: millis} before the events. */
        public Connection withRetry(long millis) {
            retryMillis = millis;
            return this;
        }

        /** Sends a comment line before every event. */
        public Connection withComments() {
            comments = true;
            return this;
        }

        /** Writes everything in pieces of {@code bytes} bytes, each flushed on its own. */
        public Connection withSplitAcrossFlushes(int bytes) {
            splitBytes = bytes;
            return this;
        }

        /** Ends lines with {@code "\r"} or {@code "\r\n"} instead of {@code "\n"}. */
        public Connection withLineEnding(String ending) {
            lineEnding = ending;
            return this;
        }

        /** Pauses this long after each event: a steady flow, like the live stream, instead of everything at once. */
        public Connection withEventInterval(Duration interval) {
            eventInterval = interval;
            return this;
        }

        /** Ends the response this long after it started, wherever the stream is (Wikimedia cuts every connection after about 15 minutes). */
        public Connection withCutAfter(Duration duration) {
            cutAfter = duration;
            return this;
        }

        /**
         * Serves each event no earlier than it is published on {@code clock}, like the live stream: a
         * client that reconnects after a pause gets the backlog at once, then the events as they come.
         */
        public Connection live(LiveClock clock) {
            live = clock;
            return this;
        }

        /** Starts the stream with a UTF-8 byte order mark. */
        public Connection withBom() {
            bom = true;
            return this;
        }
    }

    /** When each event is published: event {@code i} (0-based) at {@code start + i / eventsPerSecond}. */
    public record LiveClock(long startNanos, double eventsPerSecond) {

        /** A clock that starts now. */
        public static LiveClock startingNow(double eventsPerSecond) {
            return new LiveClock(System.nanoTime(), eventsPerSecond);
        }

        long publishedAtNanos(int index) {
            return startNanos + (long) (index * 1e9 / eventsPerSecond);
        }
    }

    /**
     * One request as the server saw it.
     *
     * @param nanoTime when it arrived ({@link System#nanoTime()}), for measuring reconnect delays
     * @param query    the raw query, or {@code null}
     * @param headers  case-insensitive
     */
    public record RecordedRequest(long nanoTime, String method, String path, String query, Map<String, List<String>> headers) {

        /** The first value of a header, or {@code null}. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** The decoded query parameters, in order. */
        public Map<String, String> queryParameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            if (query != null && !query.isEmpty()) {
                for (String pair : query.split("&")) {
                    int equals = pair.indexOf('=');
                    String name = equals < 0 ? pair : pair.substring(0, equals);
                    String value = equals < 0 ? "" : pair.substring(equals + 1);
                    parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
                }
            }
            return parameters;
        }

        /** Milliseconds from {@code earlier} to this request. */
        public long millisAfter(RecordedRequest earlier) {
            return TimeUnit.NANOSECONDS.toMillis(nanoTime - earlier.nanoTime);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %s?%s Last-Event-ID=%s", method, path, query, header("Last-Event-ID"));
        }
    }

    /** The given events, not copied (a soak's list is computed), then the ones {@link #publish}ed after them. */
    private static final class Growing extends java.util.AbstractList<String> {
        private final List<String> given;
        private final List<String> published = new CopyOnWriteArrayList<>();

        Growing(List<String> given) {
            this.given = Collections.unmodifiableList(given);
        }

        @Override
        public String get(int index) {
            return index < given.size() ? given.get(index) : published.get(index - given.size());
        }

        @Override
        public int size() {
            return given.size() + published.size();
        }

        @Override
        public boolean add(String event) {
            return published.add(event);
        }
    }
}

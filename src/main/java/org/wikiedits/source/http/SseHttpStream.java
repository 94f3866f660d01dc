package org.wikiedits.source.http;

import static org.wikiedits.config.HumanDuration.format;

import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.config.Secrets;
import org.wikiedits.delivery.Backoff;
import org.wikiedits.source.EventHandler;
import org.wikiedits.source.EventStream;
import org.wikiedits.source.EventTime;
import org.wikiedits.source.HistoryGap;
import org.wikiedits.source.SourceEvent;
import org.wikiedits.source.SourceOptions;
import org.wikiedits.source.Utf8Lines;

/**
 * A Server-Sent Events client on {@code java.net.http} that never gives up: every disconnect (end of
 * response, server cut, network error, idle timeout) is followed by a reconnect with
 * {@code Last-Event-ID} set to the id of the last event the handler returned from, so nothing is
 * lost and little is repeated. The wait before a reconnect is the server's {@code retry:} (or
 * {@code initialReconnectDelay}); consecutive failures (connect errors, 429, 5xx, any non-200, a
 * connection that ends without an event) back off exponentially with jitter up to
 * {@code maxReconnectDelay}, and a {@code Retry-After} header wins. Every request carries the
 * User-Agent and {@code Accept: text/event-stream}; {@code since} is sent only until the first event
 * (and never when resuming from an id).
 */
public final class SseHttpStream implements EventStream {

    private static final Logger LOG = LoggerFactory.getLogger(SseHttpStream.class);

    /** Said when the live stream cannot be reached: the sources that need no network. */
    public static final String OFFLINE_HINT =
            "offline, use -Dwikiedits.source.url=generator: or -Dwikiedits.source.url=file:recording.ndjson";
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final int ERROR_BODY_CHARS = 300;
    private static final Duration ERROR_BODY_WAIT = Duration.ofSeconds(1);

    private final URI target;
    /** The target as logs and messages show it: user-info and secret query parameters masked. */
    private final String shownTarget;
    private final SourceOptions options;
    private final Instant since;
    private final ExecutorService httpExecutor;
    private final HttpClient client;
    private final Backoff backoff;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile CompletableFuture<?> pendingResponse;
    private volatile BodyChunks currentBody;

    private volatile String lastEventId; // written by the thread in run() only
    private volatile String connectionProblem; // likewise; read by health checks
    // touched only by the thread in run()
    private boolean anyEventDelivered;
    private Duration reconnectTime;
    private final HistoryWatch history;

    /**
     * @param target        the stream URL; its own query, if any, is kept
     * @param options       User-Agent (required), since, timings and parameters to pass through
     * @param resumeAfterId the id of the last event already handled; {@code since} is then ignored
     */
    public SseHttpStream(String target, SourceOptions options, Optional<String> resumeAfterId) {
        this(target, options, resumeAfterId, Optional.empty());
    }

    /**
     * @param committedAt when {@code resumeAfterId} was committed (the checkpoint's save time): the
     *                    latest its event can be, for the history check of ids without a timestamp
     */
    public SseHttpStream(String target, SourceOptions options, Optional<String> resumeAfterId, Optional<Instant> committedAt) {
        validate(target, options);
        this.target = URI.create(target);
        this.shownTarget = Secrets.inUrl(target);
        this.options = options;
        this.lastEventId = resumeAfterId.filter(id -> !id.isEmpty()).orElse(null);
        this.since = lastEventId == null && !options.since().isEmpty() ? Since.parse(options.since()) : null;
        this.reconnectTime = options.initialReconnectDelay();
        this.history = lastEventId != null
                ? new HistoryWatch(shownTarget, Since.timeInId(lastEventId).or(() -> committedAt), "the checkpoint")
                : new HistoryWatch(shownTarget, Optional.ofNullable(since), "since " + options.since());
        this.backoff = new Backoff(options.maxReconnectDelay(), RandomGenerator.getDefault());
        int instance = INSTANCES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.httpExecutor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "sse-http-" + instance + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // one long response per connection: nothing to gain from HTTP/2
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .proxy(ProxySelector.getDefault())
                .executor(httpExecutor)
                .build();
    }

    /** Fails with a message that says what to set when the live stream at {@code target} cannot be read with {@code options}. */
    public static void validate(String target, SourceOptions options) {
        if (options.userAgent().isBlank()) {
            throw new IllegalArgumentException("No User-Agent for " + Secrets.inUrl(target)
                    + ": Wikimedia answers 403 without an informative one. Set wikiedits.source.user-agent"
                    + " (sse endpoint option userAgent) to name/version and a contact URL,"
                    + " e.g. 'wikiedits/0.1.0 (https://example.org/you; you@example.org)'");
        }
        validateSince(options.since());
    }

    /** Fails with a clear message unless {@code since} is empty, epoch milliseconds or ISO-8601. */
    public static void validateSince(String since) {
        if (since != null && !since.isBlank()) {
            Since.parse(since);
        }
    }

    @Override
    public void run(EventHandler handler) throws InterruptedException {
        int failures = 0;
        try {
            while (!isClosed()) {
                Outcome outcome = connectAndRead(handler);
                if (isClosed()) {
                    return;
                }
                failures = outcome.failed() ? failures + 1 : 0;
                if (outcome.failed()) {
                    connectionProblem = outcome.what();
                }
                Duration delay = outcome.retryAfter().orElse(
                        failures > 0 ? backoff.from(reconnectTime).afterFailures(failures) : reconnectTime);
                log(outcome, delay);
                if (closed.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } finally {
            httpExecutor.shutdown();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        CompletableFuture<?> pending = pendingResponse;
        if (pending != null) {
            pending.cancel(true);
        }
        BodyChunks body = currentBody;
        if (body != null) {
            body.cancel();
        }
        httpExecutor.shutdown();
    }

    @Override
    public Optional<String> connectionProblem() {
        return Optional.ofNullable(connectionProblem);
    }

    @Override
    public Optional<HistoryGap> historyGap() {
        return history.gap();
    }

    /** The {@code Last-Event-ID} the next connection would send (for tests and logs). */
    public String lastEventId() {
        return lastEventId;
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    private Outcome connectAndRead(EventHandler handler) throws InterruptedException {
        history.beforeConnect(Instant.now());
        HttpRequest request = request();
        CompletableFuture<HttpResponse<BodyChunks>> future = client.sendAsync(request, info -> new BodyChunks());
        pendingResponse = future;
        HttpResponse<BodyChunks> response;
        try {
            if (isClosed()) {
                future.cancel(true);
            }
            response = future.get();
        } catch (ExecutionException e) {
            return Outcome.unreachable("cannot reach " + shownTarget + " (" + describe(e.getCause()) + ")");
        } catch (CancellationException e) {
            return Outcome.normalEnd("closed");
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } finally {
            pendingResponse = null;
        }
        BodyChunks body = response.body();
        currentBody = body;
        try {
            if (isClosed()) {
                return Outcome.normalEnd("closed");
            }
            if (response.statusCode() != 200) {
                return httpError(response, body);
            }
            return read(response, body, handler);
        } finally {
            body.cancel();
            currentBody = null;
        }
    }

    private HttpRequest request() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(requestUri())
                .GET()
                .timeout(options.idleTimeout()) // until the response headers arrive; the body has its own idle check
                .header("User-Agent", options.userAgent())
                .header("Accept", "text/event-stream")
                .header("Cache-Control", "no-cache");
        if (lastEventId != null && !lastEventId.isEmpty()) {
            builder.header("Last-Event-ID", lastEventId);
        }
        return builder.build();
    }

    /** The target with the pass-through parameters, and {@code since} while there is no position yet. */
    URI requestUri() {
        List<String> query = new ArrayList<>();
        if (target.getRawQuery() != null && !target.getRawQuery().isEmpty()) {
            query.add(target.getRawQuery());
        }
        for (Map.Entry<String, String> parameter : options.extraQuery().entrySet()) {
            query.add(encode(parameter.getKey()) + "=" + encode(parameter.getValue()));
        }
        if (since != null && !anyEventDelivered) {
            query.add("since=" + encode(options.since()));
        }
        String base = target.toString();
        int hash = base.indexOf('#');
        base = hash < 0 ? base : base.substring(0, hash);
        int question = base.indexOf('?');
        base = question < 0 ? base : base.substring(0, question);
        return URI.create(query.isEmpty() ? base : base + "?" + String.join("&", query));
    }

    private Outcome read(HttpResponse<BodyChunks> response, BodyChunks body, EventHandler handler)
            throws InterruptedException {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (!contentType.startsWith("text/event-stream")) {
            LOG.warn("{} answered with Content-Type '{}', not text/event-stream; reading it as an event stream anyway",
                    shownTarget, contentType);
        }
        LOG.info("Connected to {}{}", shownTarget, lastEventId == null ? "" : ", resuming after " + lastEventId);
        connectionProblem = null;
        Utf8Lines lines = new Utf8Lines();
        SseParser parser = new SseParser(lastEventId);
        long delivered = 0;
        try {
            while (true) {
                List<ByteBuffer> chunk = body.next(options.idleTimeout());
                if (isClosed()) {
                    return Outcome.normalEnd("closed");
                }
                if (chunk == null) {
                    return Outcome.ended(delivered, true, "no data from " + shownTarget + " for "
                            + format(options.idleTimeout()) + " (idle timeout) after " + delivered + " events");
                }
                if (chunk == BodyChunks.END) {
                    return Outcome.ended(delivered, false, shownTarget + " ended the stream after " + delivered + " events");
                }
                for (ByteBuffer bytes : chunk) {
                    for (Utf8Lines.Line line : lines.feed(bytes)) {
                        for (SseEvent event : parser.feedLine(line.text(), line.invalidUtf8())) {
                            if (isClosed()) {
                                return Outcome.normalEnd("closed"); // one chunk can hold many events: none after close()
                            }
                            deliver(event, handler);
                            delivered++;
                        }
                    }
                }
                parser.retryMillis().ifPresent(this::useServerRetry);
            }
        } catch (IOException e) {
            return Outcome.ended(delivered, true, "connection to " + shownTarget + " lost after " + delivered
                    + " events (" + describe(e) + ")");
        }
    }

    private void deliver(SseEvent event, EventHandler handler) throws InterruptedException {
        history.delivered(() -> Since.timeInId(event.id()).or(() -> EventTime.metaDt(event.data())).orElse(null), Instant.now());
        handler.onEvent(new SourceEvent(event.id(), event.type(), event.data(), event.invalidUtf8()));
        // only now: a reconnect resumes after the last event the handler has finished with
        anyEventDelivered = true;
        if (event.id() != null) {
            lastEventId = event.id();
        }
    }

    private void useServerRetry(long millis) {
        Duration retry = Duration.ofMillis(millis);
        if (!retry.equals(reconnectTime)) {
            LOG.debug("{} sets the reconnect delay to {}", shownTarget, format(retry));
            reconnectTime = retry;
        }
    }

    private Outcome httpError(HttpResponse<BodyChunks> response, BodyChunks body) throws InterruptedException {
        int status = response.statusCode();
        Optional<Duration> retryAfter = response.headers().firstValue("Retry-After")
                .flatMap(value -> RetryAfter.parse(value, Instant.now()));
        StringBuilder what = new StringBuilder().append(shownTarget).append(" answered HTTP ").append(status);
        String excerpt = errorBodyExcerpt(body);
        if (!excerpt.isEmpty()) {
            what.append(" (").append(excerpt).append(')');
        }
        if (status == 403 || status == 401) {
            what.append("; Wikimedia refuses clients without an informative User-Agent, this one sent '")
                    .append(options.userAgent()).append("': set wikiedits.source.user-agent to name/version (contact)");
        }
        return new Outcome(true, true, what.toString(), retryAfter, false);
    }

    private static String errorBodyExcerpt(BodyChunks body) throws InterruptedException {
        Utf8ChunkDecoder decoder = new Utf8ChunkDecoder();
        StringBuilder text = new StringBuilder();
        long deadline = System.nanoTime() + ERROR_BODY_WAIT.toNanos();
        try {
            while (text.length() < ERROR_BODY_CHARS && System.nanoTime() < deadline) {
                List<ByteBuffer> chunk = body.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (chunk == null || chunk == BodyChunks.END) {
                    break;
                }
                chunk.forEach(bytes -> text.append(decoder.decode(bytes)));
            }
        } catch (IOException e) {
            // the status says enough
        }
        String oneLine = text.toString().replaceAll("\\s+", " ").trim();
        return oneLine.length() > ERROR_BODY_CHARS ? oneLine.substring(0, ERROR_BODY_CHARS) + "..." : oneLine;
    }

    private void log(Outcome outcome, Duration delay) {
        StringBuilder message = new StringBuilder(outcome.what()).append(": ")
                .append(outcome.failed() ? "retrying in " : "reconnecting in ").append(format(delay));
        if (outcome.retryAfter().isPresent()) {
            message.append(" (Retry-After)");
        }
        if (lastEventId != null && !lastEventId.isEmpty()) {
            message.append(" with Last-Event-ID ").append(lastEventId);
        }
        if (outcome.offlineHint()) {
            message.append("; ").append(OFFLINE_HINT);
        }
        if (outcome.warn()) {
            LOG.warn("{}", message);
        } else {
            LOG.info("{}", message);
        }
    }

    /** What went wrong, in words: the JDK reports most connect failures as a ConnectException without a message. */
    private String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof java.nio.channels.UnresolvedAddressException || root instanceof java.net.UnknownHostException) {
            return "UnknownHostException: " + target.getHost() + " does not resolve";
        }
        if (failure instanceof java.net.http.HttpConnectTimeoutException) {
            return "HttpConnectTimeoutException: no connection within " + format(options.connectTimeout());
        }
        if (failure instanceof java.net.http.HttpTimeoutException) {
            return "HttpTimeoutException: no response within " + format(options.idleTimeout());
        }
        if (failure instanceof java.net.ConnectException && failure.getMessage() == null
                && root instanceof java.nio.channels.ClosedChannelException) {
            return "ConnectException: connection refused";
        }
        String top = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        if (root == failure) {
            return top;
        }
        return top + " / " + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * How one connection ended.
     *
     * @param failed      counts towards the backoff (nothing was delivered)
     * @param warn        worth a WARN rather than an INFO line
     * @param what        what happened, for the log
     * @param retryAfter  the server's Retry-After, if any
     * @param offlineHint add the hint about offline sources
     */
    private record Outcome(boolean failed, boolean warn, String what, Optional<Duration> retryAfter, boolean offlineHint) {

        static Outcome unreachable(String what) {
            return new Outcome(true, true, what, Optional.empty(), true);
        }

        static Outcome normalEnd(String what) {
            return new Outcome(false, false, what, Optional.empty(), false);
        }

        static Outcome ended(long delivered, boolean warn, String what) {
            return new Outcome(delivered == 0, warn, what, Optional.empty(), false);
        }
    }
}

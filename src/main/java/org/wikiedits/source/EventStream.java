package org.wikiedits.source;

import java.util.Optional;

/**
 * A source of events: the live SSE stream, a recording or the generator (see {@link org.wikiedits.source.sse.EventStreams}).
 * {@link #run} blocks on the caller's thread; {@link #close} may be called from any thread.
 */
public interface EventStream extends AutoCloseable {

    /**
     * Delivers events in order until {@link #close} is called, the thread is interrupted, or the
     * source has no more events (a recording at its end). Connection problems are retried inside;
     * an exception thrown by the handler ends the run.
     */
    void run(EventHandler handler) throws InterruptedException;

    /**
     * Why the last attempt to connect failed, as long as no attempt has succeeded since (for health:
     * "cannot reach ... (ConnectException: connection refused)"); empty for sources without connections.
     */
    default Optional<String> connectionProblem() {
        return Optional.empty();
    }

    /**
     * History the stream could not give at the last resume (a position older than it keeps), for
     * health and metrics; empty for sources that replay everything.
     */
    default Optional<HistoryGap> historyGap() {
        return Optional.empty();
    }

    /** Stops {@link #run} as soon as possible and releases connections and threads. Idempotent. */
    @Override
    void close();
}

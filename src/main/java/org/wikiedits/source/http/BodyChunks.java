package org.wikiedits.source.http;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read one network chunk at a time, pulled by the reading thread with a timeout.
 * It asks the HTTP client for the next chunk only when the previous one was taken, so at most one
 * chunk waits here: a slow consumer slows the connection down (TCP back-pressure) instead of filling
 * memory, and a poll that times out is how the idle timeout is noticed.
 */
final class BodyChunks implements HttpResponse.BodySubscriber<BodyChunks> {

    /** What {@link #next} returns when the server ended the response normally. */
    static final List<ByteBuffer> END = List.of();

    private static final Object COMPLETE = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    @Override
    public void onSubscribe(Flow.Subscription newSubscription) {
        subscription = newSubscription;
        if (cancelled) {
            newSubscription.cancel();
        } else {
            newSubscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        queue.add(throwable);
    }

    @Override
    public void onComplete() {
        queue.add(COMPLETE);
    }

    @Override
    public CompletionStage<BodyChunks> getBody() {
        return CompletableFuture.completedFuture(this);
    }

    /**
     * The next chunk, {@link #END} when the response is complete (or was cancelled), or {@code null}
     * when nothing arrived within {@code timeout}.
     *
     * @throws IOException when the connection failed
     */
    @SuppressWarnings("unchecked")
    List<ByteBuffer> next(Duration timeout) throws IOException, InterruptedException {
        Object item = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (item == null) {
            return null;
        }
        if (item == COMPLETE) {
            queue.add(COMPLETE); // stays ended for later calls
            return END;
        }
        if (item instanceof Throwable failure) {
            queue.add(failure);
            throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
        }
        Flow.Subscription current = subscription;
        if (current != null && !cancelled) {
            current.request(1);
        }
        return (List<ByteBuffer>) item;
    }

    /** Closes the connection from any thread; a thread waiting in {@link #next} sees {@link #END}. */
    void cancel() {
        cancelled = true;
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        queue.add(COMPLETE);
    }
}

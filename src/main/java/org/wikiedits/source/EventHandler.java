package org.wikiedits.source;

/**
 * Receives the events of an {@link EventStream}, one at a time, on the stream's thread. The stream
 * reads on only after this returns, so a handler that blocks slows the source down (back-pressure).
 */
@FunctionalInterface
public interface EventHandler {

    void onEvent(SourceEvent event) throws InterruptedException;
}

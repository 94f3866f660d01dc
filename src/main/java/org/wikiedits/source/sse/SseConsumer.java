package org.wikiedits.source.sse;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.config.Secrets;
import org.wikiedits.source.EventStream;
import org.wikiedits.source.HistoryGap;
import org.wikiedits.source.SourceEvent;

/**
 * Reads the endpoint's source on one thread of its own and routes each event synchronously: the
 * next event is read only after the route has finished with the previous one, so a blocking route
 * (a full queue) slows the source down instead of piling events up in memory.
 */
public class SseConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(SseConsumer.class);

    private volatile EventStream stream;
    private ExecutorService executor;

    public SseConsumer(SseEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public SseEndpoint getEndpoint() {
        return (SseEndpoint) super.getEndpoint();
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        getEndpoint().validate(); // a missing User-Agent fails the route's start-up, with what to set
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        stream = getEndpoint().openStream();
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "sse " + Secrets.inUrl(getEndpoint().getTarget()));
        executor.execute(this::readLoop);
    }

    @Override
    protected void doStop() throws Exception {
        EventStream current = stream;
        if (current != null) {
            current.close();
        }
        if (executor != null) {
            // interrupts a route blocked downstream; the stream's own waits end with close()
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
        stream = null;
        super.doStop();
    }

    /** The source's last connection failure while it has not connected since (see {@link EventStream#connectionProblem}). */
    public Optional<String> connectionProblem() {
        EventStream current = stream;
        return current == null ? Optional.empty() : current.connectionProblem();
    }

    /** History the source could not resume at its last (re)connection (see {@link EventStream#historyGap}). */
    public Optional<HistoryGap> historyGap() {
        EventStream current = stream;
        return current == null ? Optional.empty() : current.historyGap();
    }

    private void readLoop() {
        EventStream current = stream;
        try {
            current.run(this::route);
            if (isRunAllowed()) {
                LOG.info("Source {} has no more events; the consumer stays idle until Camel stops", Secrets.inUrl(getEndpoint().getTarget()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            getExceptionHandler().handleException("The sse source " + Secrets.inUrl(getEndpoint().getTarget())
                    + " failed and delivers no more events; restart the route", e);
        }
    }

    private void route(SourceEvent event) throws InterruptedException {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(event.data());
            if (event.id() != null) {
                exchange.getMessage().setHeader(SseConstants.EVENT_ID, event.id());
            }
            exchange.getMessage().setHeader(SseConstants.EVENT_TYPE, event.type());
            if (event.invalidUtf8() != null) {
                exchange.getMessage().setHeader(SseConstants.INVALID_UTF8, event.invalidUtf8());
            }
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error routing event " + event.id(), exchange, exchange.getException());
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopping");
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }
}

package org.wikiedits.detect;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.sink.index.IndexTemplate;
import org.wikiedits.sink.index.OpenSearchEndpoint;

/**
 * The {@code alerts} route's view of the alerts index ({@value Alert#INDEX}): whether there is an index at
 * all (the embedded node, or {@code wikiedits.opensearch.url}; none with {@code wikiedits.sinks=lake}), its
 * own template installed before the first alert, and what a refused write is (logged and counted: the
 * alert is in {@code <data>/alerts/} and at the webhook all the same; found again, it is the same
 * document, as its id is kind, subject and window).
 */
public final class AlertIndex {

    public static final String TEMPLATE = "/opensearch/alerts-template.json";
    private static final Logger LOG = LoggerFactory.getLogger(AlertIndex.class);

    private final IndexTemplate template;
    private final OpenSearchEndpoint endpoint;
    private final AtomicLong failures = new AtomicLong();

    /** {@code template} null: no index configured. */
    public AlertIndex(IndexTemplate template, OpenSearchEndpoint endpoint) {
        this.template = template;
        this.endpoint = endpoint;
    }

    public boolean configured() {
        return template != null;
    }

    /** Before an alert is indexed: the template, once (an alert index made without it would map every field by guess). */
    public void ensureTemplate() throws IOException {
        template.ensureInstalled();
    }

    /** An alert could not be indexed. */
    public void failed(Exchange exchange) {
        failures.incrementAndGet();
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("An alert could not be written to the index {} on {} ({}); it is under <data>/alerts/", Alert.INDEX,
                endpoint, cause == null ? "unknown error" : cause.getMessage());
    }

    public long failureCount() {
        return failures.get();
    }
}

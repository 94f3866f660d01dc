package org.wikiedits.sink.index;

import java.time.Instant;
import java.util.Optional;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.ops.SinkHealth;
import org.wikiedits.pipeline.AdmitEvent;
import org.wikiedits.pipeline.SearchDocumentProcessor;

/**
 * The index route's bean: hands finished search documents to the {@link IndexWriter} (which retries and blocks
 * internally, so a slow or absent cluster holds back the queue instead of failing exchanges),
 * flushes lingering batches on the timer, installs the index template when Camel starts and sends
 * what is buffered when Camel stops.
 */
public final class IndexSink extends ServiceSupport implements SinkHealth {

    private static final Logger LOG = LoggerFactory.getLogger(IndexSink.class);

    private final IndexWriter writer;

    public IndexSink(IndexWriter writer) {
        this.writer = writer;
    }

    /** Body: the search document (JSON) from the {@code searchDocument} step; the original text, when present, is what a dead letter keeps. */
    public void write(String document, @Header(SearchDocumentProcessor.DOCUMENT_ID_HEADER) String id,
            @Header(SearchDocumentProcessor.EVENT_TIME_HEADER) Instant eventTime,
            @Header(CommitTracker.SEQ_HEADER) long seq, @ExchangeProperty(AdmitEvent.RAW_PROPERTY) String raw) {
        writer.write(id, document, raw, seq, eventTime);
    }

    /** For a timer every ~200 ms: sends a partial batch once it is older than the linger time. */
    public void flushIfDue() {
        writer.flushIfDue();
    }

    public IndexWriter writer() {
        return writer;
    }

    @Override
    public String sinkName() {
        return IndexWriter.SINK;
    }

    @Override
    public long delivered() {
        return writer.indexed();
    }

    @Override
    public Optional<String> problem() {
        return writer.problem();
    }

    @Override
    protected void doStart() {
        writer.start();
    }

    @Override
    protected void doStop() {
        writer.close();
        LOG.info("Index closed: {} documents indexed, {} dead letters, {} items retried, {} bulk requests to {}",
                writer.indexed(), writer.deadLettered(), writer.retriedItems(), writer.bulkRequests(),
                writer.client().endpoint());
    }
}

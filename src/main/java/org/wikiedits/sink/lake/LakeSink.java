package org.wikiedits.sink.lake;

import java.io.IOException;
import org.apache.camel.Header;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.transform.RecentChange;

/**
 * The lake route's bean: hands events to the {@link LakeWriter}, rolls files on the timer and
 * commits what is pending when Camel stops. I/O errors propagate so the route retries them
 * (back-pressure) instead of dropping the event.
 */
public final class LakeSink extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(LakeSink.class);

    private final LakeWriter writer;

    public LakeSink(LakeWriter writer) {
        this.writer = writer;
    }

    public void write(RecentChange event, @Header(CommitTracker.SEQ_HEADER) long seq) throws IOException {
        writer.write(event, seq);
    }

    public void rollIfDue() throws IOException {
        writer.rollIfDue();
    }

    public LakeWriter writer() {
        return writer;
    }

    @Override
    protected void doStop() throws Exception {
        writer.close();
        LOG.info("Lake closed: {} rows written, {} duplicates skipped, {} files committed in {}",
                writer.written(), writer.duplicates(), writer.committedFiles(), writer.describe());
    }
}

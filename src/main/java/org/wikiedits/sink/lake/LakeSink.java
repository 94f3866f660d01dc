package org.wikiedits.sink.lake;

import org.wikiedits.commit.CommitTracker;
import java.io.IOException;
import java.util.Optional;
import org.apache.camel.Header;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.commit.FlushOnStop;
import org.wikiedits.commit.Headers;
import org.wikiedits.commit.SinkHealth;

/**
 * The lake route's bean: hands finished rows to the {@link LakeWriter}, rolls files on the timer and
 * commits what is pending when Camel stops. I/O errors propagate so the route retries them
 * (back-pressure) instead of dropping the event; the last one is reported as the sink's problem.
 */
public final class LakeSink extends ServiceSupport implements SinkHealth {

    private static final Logger LOG = LoggerFactory.getLogger(LakeSink.class);

    private final LakeWriter writer;
    private volatile String problem;

    public LakeSink(LakeWriter writer) {
        this.writer = writer;
    }

    /** Body: the lake row (CSV bytes), from the {@code lakeRow} step and the {@code lakeCsv} marshal. */
    public void write(byte[] row, @Header(Headers.PARTITION) String partition,
                      @Header(Headers.EVENT_ID) String eventId,
                      @Header(Headers.SEQ) long seq) throws IOException {
        guarded(() -> {
            writer.write(partition, eventId, row, seq);
            return true;
        });
    }

    public void rollIfDue() throws IOException {
        guarded(writer::rollIfDue);
    }

    /**
     * A tick of a roll route: {@link Headers#FLUSH_ALL} (the last tick, queued when Camel stops behind the last
     * events) commits every pending file, any other what is due.
     */
    public void roll(String which) throws IOException {
        if (!Headers.FLUSH_ALL.equals(which)) {
            rollIfDue();
            return;
        }
        guarded(() -> {
            writer.commit();
            return true;
        });
    }

    /** The problem is cleared only by an action that wrote: an idle timer tick proves nothing. */
    private void guarded(IoAction action) throws IOException {
        try {
            if (action.run()) {
                problem = null;
            }
        } catch (IOException | RuntimeException e) {
            problem = "cannot write to " + writer.describe() + ": " + e.getMessage();
            throw e;
        }
    }

    @FunctionalInterface
    private interface IoAction {
        /** Returns whether it wrote anything. */
        boolean run() throws IOException;
    }

    public LakeWriter writer() {
        return writer;
    }

    @Override
    public String sinkName() {
        return LakeWriter.SINK;
    }

    @Override
    public long delivered() {
        return writer.committedRows();
    }

    @Override
    public Optional<String> problem() {
        return Optional.ofNullable(problem).or(writer::storageProblem);
    }

    @Override
    protected void doStop() throws Exception {
        writer.close();
        LOG.info("Lake closed: {} rows written, {} duplicates skipped, {} files committed in {}",
                writer.written(), writer.duplicates(), writer.committedFiles(), writer.describe());
    }
}

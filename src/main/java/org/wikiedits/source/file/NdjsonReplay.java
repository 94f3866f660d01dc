package org.wikiedits.source.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikiedits.source.EventHandler;
import org.wikiedits.source.EventStream;
import org.wikiedits.source.EventTime;
import org.wikiedits.source.SourceEvent;
import org.wikiedits.source.Utf8Lines;

/**
 * Replays a recording, one event JSON per line (as {@code record} writes it). An event's id is its
 * 1-based line number, so a restart resumes after the checkpointed line. Blank lines are skipped but
 * keep their numbers. At speed 0 events come as fast as the handler takes them; at speed s > 0 the
 * recorded {@code meta.dt} gaps are reproduced divided by s (gaps longer than {@link #MAX_GAP} are
 * shortened to it, so that a recording made of several sessions does not sleep for days).
 * {@link #run} returns at the end of the file.
 */
public final class NdjsonReplay implements EventStream {

    private static final Logger LOG = LoggerFactory.getLogger(NdjsonReplay.class);
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    /** The longest recorded pause reproduced, before the speed factor. */
    public static final Duration MAX_GAP = Duration.ofSeconds(60);

    private final Path file;
    private final double speed;
    private final long skipThroughLine;
    private final CountDownLatch closed = new CountDownLatch(1);

    /**
     * @param file          the recording
     * @param speed         0 = as fast as possible, 1 = recorded pace, 2 = twice as fast
     * @param resumeAfterId the line number of the last event already handled, if any
     */
    public NdjsonReplay(Path file, double speed, Optional<String> resumeAfterId) {
        checkSpeed(speed);
        this.file = file;
        this.speed = speed;
        this.skipThroughLine = resumeAfterId.map(id -> lineNumber(id, file)).orElse(0L);
    }

    /** Fails with what to set unless {@code speed} is 0 or a positive factor. */
    public static void checkSpeed(double speed) {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("wikiedits.source.replay-speed (sse option replaySpeed) must be 0"
                    + " (as fast as possible) or a positive factor such as 1 (the recorded pace), not " + speed);
        }
    }

    private static long lineNumber(String id, Path file) {
        try {
            return Math.max(0, Long.parseLong(id.trim()));
        } catch (NumberFormatException e) {
            LOG.warn("Resume position '{}' is not a line number of {}; replaying it from the start", id, file);
            return 0;
        }
    }

    @Override
    public void run(EventHandler handler) throws InterruptedException {
        LOG.info("Replaying {} at {}{}", file, speed == 0 ? "full speed" : speed + "x the recorded pace",
                skipThroughLine == 0 ? "" : ", resuming after line " + skipThroughLine);
        long lineNumber = 0;
        long delivered = 0;
        Pacer pacer = new Pacer();
        // split as bytes, then decoded line by line: a line that is not UTF-8 goes on with its bytes (a dead letter)
        Utf8Lines splitter = new Utf8Lines();
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            int read = 0;
            while (!isClosed() && read >= 0) {
                read = in.read(buffer);
                List<Utf8Lines.Line> lines = read >= 0 ? splitter.feed(ByteBuffer.wrap(buffer, 0, read))
                        : splitter.finish().stream().toList();
                for (Utf8Lines.Line line : lines) {
                    lineNumber++;
                    if (isClosed()) {
                        return;
                    }
                    if (lineNumber <= skipThroughLine || line.text().isBlank()) {
                        continue;
                    }
                    String text = lineNumber == 1 && line.text().charAt(0) == '\uFEFF' ? line.text().substring(1) : line.text();
                    if (speed > 0 && !pacer.waitFor(text)) {
                        return;
                    }
                    handler.onEvent(new SourceEvent(Long.toString(lineNumber), SourceEvent.DEFAULT_TYPE, text, line.invalidUtf8()));
                    delivered++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recording " + file.toAbsolutePath(), e);
        }
        if (!isClosed()) {
            LOG.info("Replay of {} complete: {} events delivered, {} lines read; no more events will come",
                    file, delivered, lineNumber);
        }
    }

    @Override
    public void close() {
        closed.countDown();
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    /**
     * Keeps a schedule anchored at the first event (wall clock vs. recorded time, scaled), so
     * sleeping never accumulates drift.
     */
    private final class Pacer {
        private boolean started;
        private long startNanos;
        private Instant latest;
        private long recordedMillis;

        /** Waits until the event is due; false when closed meanwhile. */
        boolean waitFor(String json) throws InterruptedException {
            if (!started) {
                started = true;
                startNanos = System.nanoTime();
            }
            Optional<Instant> dt = EventTime.metaDt(json);
            if (dt.isPresent() && (latest == null || dt.get().isAfter(latest))) {
                if (latest != null) {
                    recordedMillis += Math.min(Duration.between(latest, dt.get()).toMillis(), MAX_GAP.toMillis());
                }
                latest = dt.get(); // events out of order (or without meta.dt) add no pause
            }
            long dueNanos = startNanos + (long) (TimeUnit.MILLISECONDS.toNanos(recordedMillis) / speed);
            long waitNanos = dueNanos - System.nanoTime();
            return waitNanos <= 0 || !closed.await(waitNanos, TimeUnit.NANOSECONDS);
        }
    }
}

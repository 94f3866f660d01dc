package org.wikiedits.sink.lake;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Header;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The completed lake files that wait for S3, oldest first, and the reports ("the lake has every
 * event up to n") that wait for them. The {@code s3-lake-roll} route takes {@link #waiting()},
 * puts each file through the {@code aws2-s3:} endpoint in that order and calls {@link #acknowledged}
 * after each; a report runs only when every file completed before it is acknowledged, so the shard
 * positions never pass a file S3 does not hold. While twice roll-bytes or more wait, the lake writer
 * takes no more events ({@link #requireRoom}): back-pressure instead of an ever-growing local backlog
 * while S3 is down; one file completed on size may wait without holding the stream back.
 */
public final class S3UploadQueue {

    /** How long the oldest file may wait before the lake reports a problem (health DEGRADED). */
    static final Duration OVERDUE = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(S3UploadQueue.class);

    /** A completed lake file: its object key and the local buffer the endpoint uploads. */
    public record Upload(String key, File file, long size, long completedAt) {
    }

    private record Report(long afterUpload, Runnable action) {
    }

    private final String bucket;
    private final long limitBytes;
    private final Clock clock;
    /** By upload number, in completion order. */
    private final Map<String, Long> numbers = new LinkedHashMap<>();
    private final Map<Long, Upload> uploads = new LinkedHashMap<>();
    private final Deque<Report> reports = new ArrayDeque<>();
    private long lastNumber;
    private long waitingBytes;

    /** {@code rollBytes}: {@code wikiedits.lake.roll-bytes}. */
    public S3UploadQueue(String bucket, long rollBytes, Clock clock) {
        this.bucket = bucket;
        this.limitBytes = 2 * rollBytes;
        this.clock = clock;
    }

    /** A completed file, to be uploaded after those before it. */
    public synchronized void add(String key, Path file, long size) {
        long number = ++lastNumber;
        numbers.put(key, number);
        uploads.put(number, new Upload(key, file.toFile(), size, clock.millis()));
        waitingBytes += size;
    }

    /** Runs {@code report} once every file added so far is acknowledged: now, if none waits. */
    public synchronized void afterUploaded(Runnable report) {
        reports.add(new Report(lastNumber, report));
        runDueReports();
    }

    /** The route's list: the files S3 has not acknowledged, oldest first (the body it splits). */
    public synchronized List<Upload> waiting() {
        return new ArrayList<>(uploads.values());
    }

    /**
     * The route's acknowledgement, after the endpoint has put the object (the producer sets the key and
     * ETag headers only when S3 answered OK; a failure throws and the route retries the put). Deletes the
     * local buffer and runs the reports this file held back.
     */
    public synchronized void acknowledged(@Header(AWS2S3Constants.PRODUCED_KEY) String key,
                                          @Header(AWS2S3Constants.E_TAG) String etag) throws IOException {
        Long number = numbers.remove(key);
        if (number == null) {
            throw new IllegalStateException("no lake file waits for s3://" + bucket + "/" + key);
        }
        Upload upload = uploads.remove(number);
        waitingBytes -= upload.size();
        LOG.debug("S3 holds s3://{}/{} ({} bytes, ETag {})", bucket, key, upload.size(), etag);
        Files.deleteIfExists(upload.file().toPath());
        runDueReports();
    }

    /** Throws while twice roll-bytes or more wait for S3: the lake route retries the event later. */
    public synchronized void requireRoom() throws IOException {
        if (waitingBytes >= limitBytes) {
            throw new IOException(String.format("%d lake file(s), %,d bytes, wait for S3 (the limit is twice wikiedits.lake.roll-bytes: %,d); "
                    + "new events wait until S3 accepts them", uploads.size(), waitingBytes, limitBytes));
        }
    }

    /** A problem once the oldest file has waited {@link #OVERDUE}: S3 refuses it or cannot be reached. */
    public synchronized Optional<String> problem() {
        if (uploads.isEmpty()) {
            return Optional.empty();
        }
        Upload oldest = uploads.values().iterator().next();
        long waited = clock.millis() - oldest.completedAt();
        if (waited < OVERDUE.toMillis()) {
            return Optional.empty();
        }
        return Optional.of(String.format("%d lake file(s) wait for S3, s3://%s/%s for %d s; the s3-lake-roll route retries "
                + "(its WARN lines say why)", uploads.size(), bucket, oldest.key(), waited / 1000));
    }

    private void runDueReports() {
        long oldestWaiting = uploads.isEmpty() ? lastNumber + 1 : uploads.keySet().iterator().next();
        while (!reports.isEmpty() && reports.peek().afterUpload() < oldestWaiting) {
            reports.poll().action().run();
        }
    }
}

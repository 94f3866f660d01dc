package org.wikiedits.sink.lake;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.wikiedits.commit.CrashPoint;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The lake in an S3 bucket, same layout as the local one: {@code s3://<bucket>/wikiedits/dt=YYYY-MM-DD/hour=HH/<name>.csv}.
 * A pending file is buffered in a local file under {@code <data>/s3-pending/}; committing it completes
 * the buffer and queues it ({@link S3UploadQueue}) for the {@code s3-lake-roll} route, whose
 * {@code aws2-s3:} endpoint puts it whole (one PutObject, or a multipart upload above the part size):
 * S3 makes an object visible only once it is complete, so readers (Athena, Glue) never see a partial
 * file, and the lake reports its events as handled only after S3 has acknowledged the files.
 *
 * <p>The id sets for deduplication are rebuilt by listing and reading a partition's objects with the
 * {@link S3Client} bean the aws2-s3 component is autowired with, called directly: the writer needs the
 * ids synchronously, before the event, and an endpoint per LIST page and GET would add a message
 * round trip each without any plumbing gained. SDK failures surface as {@link IOException}s, which the
 * lake route retries with backoff.
 */
public final class S3LakeStorage implements LakeStorage {

    /** The table's folder in the bucket, as {@code lake/wikiedits/} is in local mode. */
    public static final String TABLE_PREFIX = "wikiedits/";

    private final S3Client s3;
    private final String bucket;
    private final Path pendingDir;
    private final S3UploadQueue uploads;

    public S3LakeStorage(S3Client s3, String bucket, Path pendingDir, S3UploadQueue uploads) {
        this.s3 = s3;
        this.bucket = bucket;
        this.pendingDir = pendingDir;
        this.uploads = uploads;
    }

    /** The object key of a lake file. */
    public static String key(String partition, String fileName) {
        return TABLE_PREFIX + partition + "/" + fileName;
    }

    /**
     * The ids in the partition's objects, and in its completed files that still wait for upload (read
     * first: a buffer deleted meanwhile has been acknowledged, so the LIST that follows sees its object).
     */
    @Override
    public EventIdSet committedIds(String partition) throws IOException {
        EventIdSet ids = new EventIdSet();
        String prefix = TABLE_PREFIX + partition + "/";
        for (S3UploadQueue.Upload upload : uploads.waiting()) {
            if (upload.key().startsWith(prefix)) {
                try (BufferedReader reader = Files.newBufferedReader(upload.file().toPath(), StandardCharsets.UTF_8)) {
                    ids.addRowsOf(reader);
                } catch (NoSuchFileException uploaded) {
                    // acknowledged since the snapshot: read from S3 below
                }
            }
        }
        try {
            ListObjectsV2Request list = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
            for (S3Object object : s3.listObjectsV2Paginator(list).contents()) {
                if (!object.key().endsWith(".csv")) {
                    continue;
                }
                GetObjectRequest get = GetObjectRequest.builder().bucket(bucket).key(object.key()).build();
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(s3.getObject(get), StandardCharsets.UTF_8))) {
                    ids.addRowsOf(reader);
                }
            }
        } catch (SdkException e) {
            throw new IOException("cannot read partition " + partition + " of " + describe() + ": " + e.getMessage(), e);
        }
        return ids;
    }

    @Override
    public PendingFile create(String partition, String fileName) throws IOException {
        uploads.requireRoom();
        Path dir = Files.createDirectories(pendingDir.resolve(partition));
        return new S3PendingFile(dir.resolve(fileName), key(partition, fileName));
    }

    @Override
    public int discardPending() throws IOException {
        if (!Files.isDirectory(pendingDir)) {
            return 0;
        }
        int discarded = 0;
        try (Stream<Path> paths = Files.walk(pendingDir)) {
            List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path path : all) {
                if (Files.isRegularFile(path)) {
                    discarded++;
                }
                if (!path.equals(pendingDir)) {
                    Files.deleteIfExists(path);
                }
            }
        }
        return discarded;
    }

    @Override
    public void afterVisible(Runnable report) {
        uploads.afterUploaded(report);
    }

    @Override
    public Optional<String> problem() {
        return uploads.problem();
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + TABLE_PREFIX;
    }

    private final class S3PendingFile implements PendingFile {
        private final Path buffer;
        private final String key;
        private final AtomicAppendFile file;
        private boolean closed;

        S3PendingFile(Path buffer, String key) throws IOException {
            this.buffer = buffer;
            this.key = key;
            this.file = new AtomicAppendFile(FileChannel.open(buffer, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
        }

        @Override
        public void append(byte[] bytes) throws IOException {
            uploads.requireRoom();
            file.append(bytes);
        }

        @Override
        public long size() {
            return file.size();
        }

        /**
         * Completes the buffer and queues it for upload. Not forced to disk: a crash loses the queue
         * anyway, and the events, not yet handled, are replayed into new files.
         */
        @Override
        public void commit() throws IOException {
            if (!closed) {
                file.flush();
                file.close();
                closed = true;
            }
            CrashPoint.reached(CrashPoint.LAKE_TEMP_WRITTEN);
            uploads.add(key, buffer, file.size());
        }

        @Override
        public void discard() throws IOException {
            file.close();
            closed = true;
            Files.deleteIfExists(buffer);
        }
    }
}

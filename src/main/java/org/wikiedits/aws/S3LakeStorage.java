package org.wikiedits.aws;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.wikiedits.checkpoint.CrashPoint;
import org.wikiedits.sink.lake.AtomicAppendFile;
import org.wikiedits.sink.lake.EventIdSet;
import org.wikiedits.sink.lake.LakeStorage;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import org.wikiedits.transform.CsvRow;

/**
 * The lake in an S3 bucket, same layout as the local one: {@code s3://<bucket>/wikiedits/dt=YYYY-MM-DD/hour=HH/<name>.csv}.
 * A pending file is buffered in a local temp file under {@code <data>/s3-pending/}; committing it is
 * one PutObject, which S3 makes visible atomically and whole, so readers (Athena, Glue) never see a
 * partial file. The id sets for deduplication are rebuilt by listing and reading a partition's objects.
 *
 * <p>It calls the {@link S3Client} bean that the camel-aws2-s3 component is configured with (autowired)
 * rather than going through an aws2-s3 endpoint: the {@link LakeStorage} seam is a synchronous call
 * from the {@link org.wikiedits.sink.lake.LakeWriter}, and the route around it already retries.
 * SDK failures surface as {@link IOException}s, which that route retries with backoff.
 */
public final class S3LakeStorage implements LakeStorage {

    /** The table's folder in the bucket, as {@code lake/wikiedits/} is in local mode. */
    public static final String TABLE_PREFIX = "wikiedits/";

    private final S3Client s3;
    private final String bucket;
    private final Path pendingDir;

    public S3LakeStorage(S3Client s3, String bucket, Path pendingDir) {
        this.s3 = s3;
        this.bucket = bucket;
        this.pendingDir = pendingDir;
    }

    /** The object key of a lake file. */
    public static String key(String partition, String fileName) {
        return TABLE_PREFIX + partition + "/" + fileName;
    }

    @Override
    public EventIdSet committedIds(String partition) throws IOException {
        EventIdSet ids = new EventIdSet();
        try {
            ListObjectsV2Request list = ListObjectsV2Request.builder().bucket(bucket).prefix(TABLE_PREFIX + partition + "/").build();
            for (S3Object object : s3.listObjectsV2Paginator(list).contents()) {
                if (!object.key().endsWith(".csv")) {
                    continue;
                }
                GetObjectRequest get = GetObjectRequest.builder().bucket(bucket).key(object.key()).build();
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(s3.getObject(get), StandardCharsets.UTF_8))) {
                    reader.lines().map(CsvRow::eventIdOf).filter(id -> id != null && !id.isEmpty()).forEach(ids::add);
                }
            }
        } catch (SdkException e) {
            throw new IOException("cannot read partition " + partition + " of " + describe() + ": " + e.getMessage(), e);
        }
        return ids;
    }

    @Override
    public PendingFile create(String partition, String fileName) throws IOException {
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
    public String describe() {
        return "s3://" + bucket + "/" + TABLE_PREFIX;
    }

    private final class S3PendingFile implements PendingFile {
        private final Path buffer;
        private final String key;
        private final AtomicAppendFile file;

        S3PendingFile(Path buffer, String key) throws IOException {
            this.buffer = buffer;
            this.key = key;
            this.file = new AtomicAppendFile(FileChannel.open(buffer, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
        }

        @Override
        public void append(byte[] bytes) throws IOException {
            file.append(bytes);
        }

        @Override
        public long size() {
            return file.size();
        }

        /** One PutObject of the whole file; when it fails nothing is visible and the commit can be retried. */
        @Override
        public void commit() throws IOException {
            file.flush();
            CrashPoint.reached(CrashPoint.LAKE_TEMP_WRITTEN);
            try {
                s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType("text/csv; charset=utf-8")
                        .contentLength(file.size()).build(), RequestBody.fromFile(buffer));
            } catch (SdkException e) {
                throw new IOException("cannot put s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
            }
            file.close();
            Files.deleteIfExists(buffer);
        }

        @Override
        public void discard() throws IOException {
            file.close();
            Files.deleteIfExists(buffer);
        }
    }
}

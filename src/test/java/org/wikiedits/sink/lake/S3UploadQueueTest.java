package org.wikiedits.sink.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.testing.MutableClock;

class S3UploadQueueTest {

    @TempDir
    Path buffers;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final S3UploadQueue queue = new S3UploadQueue("lake", 50, clock);
    private final List<String> reports = new ArrayList<>();

    private Path completed(String name, int bytes) throws IOException {
        Path file = Files.write(buffers.resolve(name), new byte[bytes]);
        queue.add("wikiedits/dt=2026-12-01/hour=00/" + name, file, bytes);
        return file;
    }

    private static String key(String name) {
        return "wikiedits/dt=2026-12-01/hour=00/" + name;
    }

    @Test
    void aReportWithNothingWaitingRunsAtOnce() {
        queue.afterUploaded(() -> reports.add("up to 3"));

        assertThat(reports).containsExactly("up to 3");
    }

    @Test
    void theRouteGetsTheWaitingFilesOldestFirstWithTheirKeysAndLocalFiles() throws IOException {
        Path first = completed("part-1.csv", 10);
        Path second = completed("part-2.csv", 20);

        assertThat(queue.waiting()).extracting(S3UploadQueue.Upload::key).containsExactly(key("part-1.csv"), key("part-2.csv"));
        assertThat(queue.waiting()).extracting(S3UploadQueue.Upload::file).containsExactly(first.toFile(), second.toFile());
    }

    @Test
    void aReportRunsOnlyWhenEveryFileCompletedBeforeItIsAcknowledgedEvenOutOfOrder() throws IOException {
        completed("part-1.csv", 10);
        completed("part-2.csv", 10);
        queue.afterUploaded(() -> reports.add("up to 5"));
        completed("part-3.csv", 10);
        queue.afterUploaded(() -> reports.add("up to 9"));

        queue.acknowledged(key("part-2.csv"), "\"etag-2\"");
        assertThat(reports).as("part-1 still waits").isEmpty();
        queue.acknowledged(key("part-1.csv"), "\"etag-1\"");
        assertThat(reports).as("part-3 still waits").containsExactly("up to 5");
        queue.acknowledged(key("part-3.csv"), "\"etag-3\"");
        assertThat(reports).containsExactly("up to 5", "up to 9");
    }

    @Test
    void anAcknowledgedFileLeavesTheQueueAndItsLocalBufferIsDeleted() throws IOException {
        Path first = completed("part-1.csv", 10);
        Path second = completed("part-2.csv", 10);

        queue.acknowledged(key("part-1.csv"), "\"etag-1\"");

        assertThat(first).doesNotExist();
        assertThat(second).exists();
        assertThat(queue.waiting()).extracting(S3UploadQueue.Upload::key).containsExactly(key("part-2.csv"));
    }

    @Test
    void anAcknowledgementOfAFileThatDoesNotWaitIsAnError() throws IOException {
        completed("part-1.csv", 10);
        queue.acknowledged(key("part-1.csv"), "\"etag-1\"");

        assertThatThrownBy(() -> queue.acknowledged(key("part-1.csv"), "\"etag-1\""))
                .hasMessage("no lake file waits for s3://lake/" + key("part-1.csv"));
    }

    @Test
    void theWriterIsHeldBackWhileTwiceRollBytesOrMoreWaitAndLetGoWhenS3AcknowledgesEnough() throws IOException {
        completed("part-1.csv", 60);
        queue.requireRoom();
        completed("part-2.csv", 40);

        assertThatThrownBy(queue::requireRoom).isInstanceOf(IOException.class)
                .hasMessageContaining("2 lake file(s), 100 bytes, wait for S3")
                .hasMessageContaining("the limit is twice wikiedits.lake.roll-bytes: 100");
        queue.acknowledged(key("part-1.csv"), "\"etag-1\"");
        queue.requireRoom();
    }

    @Test
    void aFileThatWaitsLongerThanTheGraceTimeIsReportedAsTheLakesProblem() throws IOException {
        completed("part-1.csv", 10);
        assertThat(queue.problem()).isEmpty();

        clock.advance(S3UploadQueue.OVERDUE.plus(Duration.ofSeconds(2)));
        completed("part-2.csv", 10);

        assertThat(queue.problem()).hasValue("2 lake file(s) wait for S3, s3://lake/" + key("part-1.csv")
                + " for 12 s; the s3-lake-roll route retries (its WARN lines say why)");
        queue.acknowledged(key("part-1.csv"), "\"etag-1\"");
        assertThat(queue.problem()).as("part-2 has waited only just now").isEmpty();
    }
}

package org.wikiedits.sink.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.testing.FaultyFileSystem;

class AtomicAppendFileTest {

    @TempDir
    Path dir;

    private static byte[] row(int n, int width) {
        return (String.valueOf(n).repeat(width) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aWriteThatFailsOnAFullDiskLeavesNoHalfRowAndTheRowCanBeAppendedAgain() throws IOException {
        FaultyFileSystem fileSystem = new FaultyFileSystem();
        Path path = dir.resolve("part.csv");
        StringBuilder expected = new StringBuilder();
        try (AtomicAppendFile file = new AtomicAppendFile(fileSystem.create(path))) {
            int n = 0;
            // enough rows to pass the 64 KiB buffer several times, with the disk full now and then
            while (n < 400) {
                byte[] row = row(n % 10, 999);
                fileSystem.diskFull(n % 50 >= 35);
                try {
                    file.append(row);
                    expected.append(new String(row, StandardCharsets.UTF_8));
                    n++;
                } catch (IOException e) {
                    assertThat(e).hasMessageContaining("No space left on device");
                    fileSystem.diskFull(false);
                    file.append(row); // the caller's retry
                    expected.append(new String(row, StandardCharsets.UTF_8));
                    n++;
                }
            }
            fileSystem.diskFull(false);
            file.force();
            assertThat(file.size()).isEqualTo(expected.length());
        }
        assertThat(fileSystem.failedWrites()).as("the disk was full during some flushes").isPositive();
        assertThat(Files.readString(path, StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }

    @Test
    void aFailedForceKeepsTheBufferedRowsForTheNextTry() throws IOException {
        FaultyFileSystem fileSystem = new FaultyFileSystem();
        Path path = dir.resolve("part.csv");
        try (AtomicAppendFile file = new AtomicAppendFile(fileSystem.create(path))) {
            file.append(row(1, 10));
            file.append(row(2, 10));
            fileSystem.diskFull(true);
            assertThatThrownBy(file::force).isInstanceOf(IOException.class);
            assertThat(Files.size(path)).as("the half-written bytes are cut off again").isZero();
            fileSystem.diskFull(false);
            file.force();
        }
        assertThat(Files.readString(path, StandardCharsets.UTF_8))
                .isEqualTo(new String(row(1, 10), StandardCharsets.UTF_8) + new String(row(2, 10), StandardCharsets.UTF_8));
    }
}

package org.wikiedits.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderTest {

    @TempDir
    Path temp;

    @Test
    void claimingCreatesTheFolderAndRecordsThisProcessInTheLockFile() throws Exception {
        Path data = temp.resolve("a/b/data");
        try (DataFolder folder = DataFolder.claim(data)) {
            assertThat(folder.dir()).isDirectory().isEqualTo(data.toAbsolutePath());
            assertThat(Files.readString(data.resolve(DataFolder.LOCK_FILE))).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
            try (var files = Files.list(data)) {
                assertThat(files).as("nothing but the lock file is left").containsExactly(data.resolve(DataFolder.LOCK_FILE));
            }
        }
    }

    @Test
    void aSecondClaimOnTheSameFolderFailsWithTheOwnersPidUntilTheFirstIsClosed() throws Exception {
        Path data = temp.resolve("data");
        DataFolder first = DataFolder.claim(data);
        assertThatThrownBy(() -> DataFolder.claim(temp.resolve("./data")))
                .isInstanceOf(StartupFailure.class)
                .hasMessage("Another wikiedits (pid " + ProcessHandle.current().pid() + ") is already running on the data folder "
                        + data.toAbsolutePath() + ": stop it first, or give this one its own folder with -Dwikiedits.data.dir=...");
        first.close();

        try (DataFolder again = DataFolder.claim(data)) {
            assertThat(again.dir()).isEqualTo(data.toAbsolutePath());
        }
    }

    @Test
    void aDataFolderThatCannotBeCreatedIsReportedWithTheReasonAndTheSettingToChange() throws Exception {
        // a path through a regular file fails for every user, root included (chmod would not stop root)
        Path file = Files.writeString(temp.resolve("not-a-folder"), "x");

        assertThatThrownBy(() -> DataFolder.claim(file.resolve("data")))
                .isInstanceOf(StartupFailure.class)
                .hasMessageStartingWith("Cannot write to the data folder " + file.resolve("data"))
                .hasMessageContaining("Not a directory")
                .hasMessageEndingWith("set wikiedits.data.dir to a folder this user can write");
    }
}

package org.wikiedits.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MotoServerTest {

    @TempDir
    Path dir;

    @Test
    void aMissingMotoServerFailsTheTestWithWhatToInstall() {
        assertThatThrownBy(() -> MotoServer.executable("", dir.toString()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("moto_server is not on the PATH")
                .hasMessageContaining("pip install 'moto[server]==5.2.1'")
                .hasMessageContaining(".ci/run");
    }

    @Test
    void theExecutableIsFoundOnThePathOrWhereTheTestsAreTold() throws Exception {
        Path executable = Files.createFile(dir.resolve("moto_server"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        assertThat(MotoServer.executable("", "/nowhere:" + dir)).isEqualTo(executable.toString());
        assertThat(MotoServer.executable(executable.toString(), "")).isEqualTo(executable.toString());
        assertThatThrownBy(() -> MotoServer.executable(dir.resolve("absent").toString(), ""))
                .hasMessageContaining("is not an executable file");
    }
}

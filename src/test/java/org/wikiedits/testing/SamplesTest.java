package org.wikiedits.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class SamplesTest {

    @TempDir
    Path dir;

    @Test
    void presentSamplesAreReadFileByFileInNameOrderWithoutBlankLines() throws Exception {
        Files.writeString(dir.resolve("b.ndjson"), "{\"b\":1}\n\n{\"b\":2}\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("a.ndjson"), "{\"a\":1}\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("PROVENANCE.md"), "not a sample\n", StandardCharsets.UTF_8);

        Map<String, List<String>> samples = Samples.read(dir, Map.of(Samples.REQUIRE_VARIABLE, "true"), true);

        assertThat(samples).containsExactly(Map.entry("a.ndjson", List.of("{\"a\":1}")),
                Map.entry("b.ndjson", List.of("{\"b\":1}", "{\"b\":2}")));
    }

    @Test
    void missingSamplesFailTheTestWhenRequiredByTheFlag() {
        Path missing = dir.resolve("samples");

        assertThatThrownBy(() -> Samples.read(missing, Map.of(Samples.REQUIRE_VARIABLE, "true"), true))
                .isInstanceOf(AssertionError.class).isNotInstanceOf(TestAbortedException.class)
                .hasMessageContaining(missing.toAbsolutePath().normalize().toString())
                .hasMessageContaining("WIKIEDITS_REQUIRE_SAMPLES=false");
        assertThatThrownBy(() -> Samples.read(missing, Map.of(Samples.REQUIRE_VARIABLE, "true"), false))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void missingSamplesFailOnACiMachineUnlessTheFlagSaysOtherwise() {
        Path missing = dir.resolve("samples");

        assertThatThrownBy(() -> Samples.read(missing, Map.of("CI", "true"), true)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> Samples.read(missing, Map.of("CI", "true", Samples.REQUIRE_VARIABLE, "false"), true))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void aFolderWithoutNdjsonFilesCountsAsMissing() throws Exception {
        Files.writeString(dir.resolve("PROVENANCE.md"), "no samples\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Samples.read(dir, Map.of(Samples.REQUIRE_VARIABLE, "true"), true)).isInstanceOf(AssertionError.class);
    }

    @Test
    void missingSamplesSkipOrGiveNoneOnADevelopersMachine() {
        Path missing = dir.resolve("samples");

        assertThatThrownBy(() -> Samples.read(missing, Map.of(), true)).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("skipped");
        assertThat(Samples.read(missing, Map.of(), false)).isEmpty();
        assertThat(Samples.read(missing, Map.of("CI", "false"), false)).isEmpty();
    }
}

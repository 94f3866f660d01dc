package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.config.Settings;
import org.wikiedits.source.generator.SyntheticEvents;

class RecorderTest {

    @TempDir
    Path dir;

    @Test
    void theArgumentsAreAFileAndOptionallyALimitAndSeconds() {
        assertThatThrownBy(() -> Recorder.parse(new String[0])).hasMessageContaining("usage: record <file.ndjson>");
        assertThatThrownBy(() -> Recorder.parse(new String[] {"a.ndjson", "--limit"})).hasMessageContaining("--limit needs a number");
        assertThatThrownBy(() -> Recorder.parse(new String[] {"a.ndjson", "--limit", "0"})).hasMessageContaining("positive");
        assertThatThrownBy(() -> Recorder.parse(new String[] {"a.ndjson", "--seconds", "x"})).hasMessageContaining("positive");
        assertThatThrownBy(() -> Recorder.parse(new String[] {"a.ndjson", "b.ndjson"})).hasMessageContaining("unexpected 'b.ndjson'");
        assertThatThrownBy(() -> Recorder.parse(new String[] {"a.ndjson", "--verbose"})).hasMessageContaining("unexpected '--verbose'");
    }

    @Test
    void anHttpSourceWithoutUserAgentIsRefusedBeforeConnecting() {
        Settings settings = Settings.load().with(Map.of("wikiedits.source.url", "http://127.0.0.1:9/none",
                "wikiedits.source.user-agent", ""));
        assertThatThrownBy(() -> Recorder.run(settings, new String[] {dir.resolve("x.ndjson").toString(), "--limit", "1"}))
                .hasMessageContaining("wikiedits.source.user-agent");
    }

    @Test
    void theGeneratorCanBeRecordedAndEveryLineIsOneEvent() throws Exception {
        Path file = dir.resolve("generated.ndjson");
        Settings settings = Settings.load().with(Map.of("wikiedits.source.url", "generator:", "wikiedits.generator.rate", "0"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        int status = Recorder.parse(new String[] {file.toString(), "--limit", "300"})
                .record(settings, new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(300);
        ObjectMapper json = new ObjectMapper();
        List<String> ids = new java.util.ArrayList<>();
        for (String line : lines) {
            ids.add(json.readTree(line).path("meta").path("id").asText());
        }
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("[0-9a-f-]{36}"))
                .as("a fresh run's ids, not the unnamed run's").doesNotContain(SyntheticEvents.eventId(1).toString());
    }
}

package org.wikiedits.replay;

import static org.assertj.core.api.Assertions.assertThat;

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

class ReplayCommandTest {

    @TempDir
    Path data;

    private record Result(int status, String out, String err) {
    }

    private Result run(Map<String, String> settings, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReplayCommand.run(Settings.load().with(settings), args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void wrongOptionsExitTwoWithWhatIsExpected() {
        Map<String, String> settings = Map.of("wikiedits.data.dir", data.toString());

        assertThat(run(settings, "--sink", "both").err()).contains("--sink is lake or index, not 'both'");
        assertThat(run(settings, "--since", "yesterday").err()).contains("--since takes an ISO-8601 time");
        assertThat(run(settings, "--from", "/tmp/x").err()).contains("--from takes s3://BUCKET/PREFIX/");
        assertThat(run(settings, "--from", "s3://b/errors/", "--sink", "lake").err()).contains("into the index only");
        assertThat(run(settings, "--reason").status()).isEqualTo(2);
        assertThat(run(Map.of("wikiedits.data.dir", data.toString(), "wikiedits.mode", "aws"), "--sink", "lake").err())
                .contains("the lake is not replayed in aws mode");
        assertThat(run(Map.of("wikiedits.data.dir", data.toString(), "wikiedits.mode", "aws")).err())
                .contains("in aws mode the index is the domain's: set wikiedits.opensearch.url");
    }

    @Test
    void itsErrorsStartWithTheAppsOnePrefix() {
        Result result = run(Map.of("wikiedits.data.dir", data.toString()), "--sink", "both");

        assertThat(result.err()).startsWith("wikiedits: --sink is lake or index, not 'both'");
    }

    @Test
    void anEmptyStoreIsNothingToDo() {
        Result result = run(Map.of("wikiedits.data.dir", data.toString(), "wikiedits.sinks", "lake"));

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).contains("replay-dead-letters: 0 sent, 0 failed again, 0 replayed before");
    }

    @Test
    void aLineTheAppIsStillWritingIsLeftForTheNextReplay() throws Exception {
        Path store = Files.createDirectories(data.resolve("dead-letter"));
        Files.writeString(store.resolve("dead-letter-2026-12-07.ndjson"),
                "{\"reason\":\"r\",\"raw\":\"x\",\"stage\":\"lake\",\"received_at\":\"2026-12-07T10:00:00Z\"}\nnot json\n{\"reason\":\"r\",\"ra");

        List<Letter> letters = DeadLetterFiles.read(store);

        assertThat(letters).extracting(Letter::key).containsExactly("dead-letter-2026-12-07.ndjson:1", "dead-letter-2026-12-07.ndjson:2");
        assertThat(letters.get(1).raw()).isEqualTo("not json");
        assertThat(letters.get(1).reason()).isEqualTo("not a dead-letter line");
    }
}

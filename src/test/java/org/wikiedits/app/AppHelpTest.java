package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.wikiedits.config.Settings;
import org.wikiedits.query.NamedQueries;

class AppHelpTest {

    private static String help(Map<String, String> env, Properties system) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = App.help(Settings.load(env, system, Path.of("no-such-application.properties")),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpMasksAPasswordGivenAsASystemPropertyOrInTheEnvironment() {
        Properties system = new Properties();
        system.setProperty("wikiedits.opensearch.password", "hunter2-from-d");
        system.setProperty("wikiedits.alerts.webhook-url", "https://hooks.slack.com/services/T1/B2/webhook-secret");
        system.setProperty("wikiedits.opensearch.username", "admin");

        String fromSystem = help(Map.of(), system);
        String fromEnv = help(Map.of("WIKIEDITS_OPENSEARCH_PASSWORD", "hunter2-from-env"), new Properties());

        assertThat(fromSystem).doesNotContain("hunter2").doesNotContain("webhook-secret")
                .containsPattern("wikiedits\\.opensearch\\.password +\\*\\*\\*\\*\\R")
                .containsPattern("wikiedits\\.alerts\\.webhook-url +https://hooks\\.slack\\.com/\\*\\*\\*\\*\\R")
                .containsPattern("wikiedits\\.opensearch\\.username +admin\\R");
        assertThat(fromEnv).doesNotContain("hunter2").containsPattern("wikiedits\\.opensearch\\.password +\\*\\*\\*\\*\\R");
    }

    @Test
    void helpShowsAnUnsetPasswordAsEmptyAndOrdinarySettingsAsTheyAre() {
        String text = help(Map.of(), new Properties());

        assertThat(text).containsPattern("wikiedits\\.opensearch\\.password +\\(empty\\)\\R")
                .containsPattern("wikiedits\\.source\\.url +https://stream\\.wikimedia\\.org/v2/stream/recentchange\\R")
                .contains("show as ****");
    }

    @Test
    void helpListsTheOptionsOfEveryCommand() {
        String text = help(Map.of(), new Properties());

        assertThat(text).contains("Usage: run [--debug]", "--debug  show the stack trace",
                "Usage: query <name> [--date YYYY-MM-DD]", "--format  table (default)", "--sql ",
                "Usage: compact [--dry-run]", "--dry-run  report what would change",
                "Usage: record <file.ndjson> [--limit N] [--seconds S]", "--seconds  stop after S seconds",
                "Usage: replay-dead-letters [--sink lake|index] [--since TIME] [--reason TEXT] [--dry-run]",
                "--from     what Firehose could not index");
    }

    private record Printed(int status, String out, String err) {
    }

    private interface Command {
        int run(PrintStream out, PrintStream err) throws Exception;
    }

    private static Printed printed(Command command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = command.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Printed(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionPrintsTheVersion() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = App.dispatch(List.of("--version"));
        } finally {
            System.setOut(original);
        }
        assertThat(status).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("wikiedits " + App.version() + System.lineSeparator());
    }

    @Test
    void queryHelpListsEveryNamedQueryWithWhatItAnswers() throws Exception {
        Settings settings = Settings.load(Map.of(), new Properties(), Path.of("no-such-application.properties"));
        Printed help = printed((out, err) -> QueryCommand.run(settings, new String[] {"--help"}, out, err));

        assertThat(help.status()).isZero();
        assertThat(NamedQueries.all()).isNotEmpty().allSatisfy(query ->
                assertThat(help.out()).containsPattern("\\R +" + query.name() + " +" + java.util.regex.Pattern.quote(query.description())));
    }

    @Test
    void queryAndCompactErrorsStartWithTheAppsOnePrefix() throws Exception {
        Settings settings = Settings.load(Map.of(), new Properties(), Path.of("no-such-application.properties"));

        assertThat(printed((out, err) -> QueryCommand.run(settings, new String[] {"--bogus"}, out, err)).err())
                .startsWith("wikiedits: ");
        assertThat(printed((out, err) -> QueryCommand.run(settings.with(Map.of("wikiedits.mode", "cloud")), new String[] {"total"}, out, err)).err())
                .startsWith("wikiedits: ");
        assertThat(printed((out, err) -> CompactCommand.run(settings, new String[] {"--bogus"}, out, err)).err())
                .startsWith("wikiedits: unknown argument '--bogus'");
        assertThat(printed((out, err) -> CompactCommand.run(settings.with(Map.of("wikiedits.mode", "aws")), new String[0], out, err)).err())
                .startsWith("wikiedits: only the local lake can be compacted");
    }
}

package org.wikiedits.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.wikiedits.config.StartupFailure;

class FatalErrorsTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aStartupFailureIsOneLineWithoutAStackTraceAndExitStatusOne() {
        int status = FatalErrors.report(new StartupFailure("Port 8080 on 127.0.0.1 is already in use", new IOException("bind")),
                false, err);

        assertThat(status).isEqualTo(1);
        assertThat(printed()).isEqualTo("wikiedits: Port 8080 on 127.0.0.1 is already in use" + System.lineSeparator());
    }

    @Test
    void settingsProblemsArePrintedOneALineWithExitStatusTwo() {
        int status = FatalErrors.report(new IllegalArgumentException("a must be a number, not 'x'\nb must be a number, not 'y'"),
                false, err);

        assertThat(status).isEqualTo(2);
        assertThat(printed().lines()).containsExactly("wikiedits: a must be a number, not 'x'", "wikiedits: b must be a number, not 'y'");
    }

    @Test
    void aWrappingExceptionIsShownWithTheMessagesOfItsCausesOnOneLine() {
        Exception wrapped = new RuntimeException("Failed to start route source because of\n  the endpoint",
                new IllegalStateException("the endpoint", new IOException("Connection refused")));

        assertThat(FatalErrors.describe(wrapped)).isEqualTo("Failed to start route source because of the endpoint: Connection refused");
        assertThat(FatalErrors.describe(new NullPointerException())).isEqualTo("NullPointerException");
    }

    @Test
    void withDebugTheStackTraceFollowsTheLine() {
        FatalErrors.report(new StartupFailure("the data folder is taken"), true, err);

        assertThat(printed()).startsWith("wikiedits: the data folder is taken").contains("\tat org.wikiedits.app.FatalErrorsTest");
    }
}

package org.wikiedits.app;

import java.io.PrintStream;
import org.wikiedits.config.DataFolder;
import org.wikiedits.config.FreePort;
import org.wikiedits.config.Settings;
import org.wikiedits.source.SourceOptions;
import org.wikiedits.source.sse.EventStreams;

/**
 * {@code run [--debug]}: checks what would otherwise fail late (the source can be opened, the data
 * folder is writable and not used by another pipeline, the HTTP port is free), then runs the
 * pipeline until Ctrl-C or SIGTERM. These checks come before the embedded OpenSearch node and
 * Camel start, so a fixable problem ends the app within a second, with one line that says what to do.
 */
public final class RunCommand {

    public static final String USAGE = """
            Usage: run [--debug]
              runs the pipeline until Ctrl-C or SIGTERM (the default command); settings go before -jar:
              java -Dwikiedits.source.url=generator: -jar target/camel-app.jar run
              --debug  show the stack trace of an error that stops the app (also before the command)""";

    private RunCommand() {
    }

    /** Runs the subcommand; {@code args} are those after "run" ({@code --debug} already taken out by {@link App}). */
    public static int run(Settings settings, String[] args, PrintStream out) throws Exception {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE);
                return 0;
            }
        }
        if (args.length > 0) {
            throw new IllegalArgumentException("run: unexpected '" + args[0] + "'; run --help lists its options");
        }
        EventStreams.validate(settings.require("wikiedits.source.url"), SourceOptions.of(settings));
        try (DataFolder data = DataFolder.claim(settings.dataDir())) {
            FreePort.require(settings.require("wikiedits.http.host"), settings.getInt("wikiedits.http.port"),
                    "the dashboard, /health and /metrics", "wikiedits.http.port", "");
            return App.run(settings, new String[0]);
        }
    }
}

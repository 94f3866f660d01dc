package org.wikiedits.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.wikiedits.config.AwsDelivery;
import org.wikiedits.config.ConfiguredSinks;
import org.wikiedits.config.PackagedRoutes;
import org.wikiedits.config.Secrets;
import org.wikiedits.config.Settings;
import org.wikiedits.query.compaction.ScheduledCompaction;
import org.wikiedits.replay.ReplayCommand;

/**
 * {@code java -jar camel-app.jar [run|query|compact|record|replay-dead-letters|--help|--version]}: dispatches the subcommands.
 * Only {@code run} starts Camel (and, in local mode, the embedded OpenSearch node).
 */
public final class App {

    private App() {
    }

    public static void main(String[] args) {
        List<String> given = List.of(args);
        boolean debug = given.contains(FatalErrors.DEBUG_FLAG);
        int status;
        try {
            status = dispatch(given.stream().filter(arg -> !arg.equals(FatalErrors.DEBUG_FLAG)).toList());
        } catch (Exception e) {
            status = FatalErrors.report(e, debug, System.err);
        }
        if (status != 0) {
            System.exit(status);
        }
    }

    static int dispatch(List<String> args) throws Exception {
        MisplacedOptions.reject(args);
        String command = args.isEmpty() ? "run" : args.get(0);
        String[] rest = args.isEmpty() ? new String[0] : args.subList(1, args.size()).toArray(String[]::new);
        if (List.of("-h", "--help", "help").contains(command)) {
            return help(Settings.load(), System.out);
        }
        if (List.of("--version", "version").contains(command)) {
            System.out.println("wikiedits " + version());
            return 0;
        }
        Settings settings = Settings.load();
        if (!Arrays.asList(rest).contains("--help") && !Arrays.asList(rest).contains("-h")) {
            // the warnings first: a mistyped name may be why a value is missing or wrong
            SettingsCheck.warnings(settings).forEach(warning -> System.err.println("wikiedits: " + warning));
            SettingsCheck.validate(settings);
        }
        return switch (command) {
            case "run" -> RunCommand.run(settings, rest, System.out);
            case "query" -> QueryCommand.run(settings, rest);
            case "compact" -> CompactCommand.run(settings, rest);
            case "record" -> Recorder.run(settings, rest);
            case "replay-dead-letters" -> ReplayCommand.run(settings, rest);
            default -> throw new IllegalArgumentException("unknown command '" + command + "'; --help lists the commands");
        };
    }

    /** The pipeline until Ctrl-C (or SIGTERM): Camel, and in local mode the embedded OpenSearch node. */
    static int run(Settings settings, String[] camelArgs) throws Exception {
        try (Pipeline pipeline = new Pipeline(settings)) {
            return pipeline.run(camelArgs);
        }
    }

    /**
     * The packaged routes, or a ./routes/ folder that replaces them (never merged): the shared
     * {@code routes/*.camel.yaml}, the mode's {@code routes/<mode>/} (in local mode with the folders of
     * the configured sinks, {@code routes/local/lake/} and {@code routes/local/index/}), and in aws mode also the
     * delivery's {@code routes/aws/<wikiedits.aws.delivery>/}. The packaged ones are named one by one:
     * a classpath wildcard would make Camel inflate the whole shaded jar (see {@link PackagedRoutes}).
     */
    static String routesPattern(String mode, String awsDelivery, ConfiguredSinks sinks, Path localRoutes) {
        return routesPattern(mode, awsDelivery, sinks, false, localRoutes);
    }

    /** The same, with the scheduled compaction's folder ({@link ScheduledCompaction#ROUTE_FOLDER}) in local mode when it is on. */
    static String routesPattern(String mode, String awsDelivery, ConfiguredSinks sinks, boolean scheduledCompaction,
            Path localRoutes) {
        List<String> folders = new ArrayList<>(List.of(""));
        folders.addAll(mode.equals("aws") ? AwsDelivery.parse(awsDelivery).routeFolders() : sinks.localRouteFolders());
        if (scheduledCompaction && mode.equals("local")) {
            folders.add(ScheduledCompaction.ROUTE_FOLDER);
        }
        return PackagedRoutes.routesPattern(folders, localRoutes);
    }

    static String version() {
        String version = App.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** The usage text, each command's options, and every {@code wikiedits.*} setting as resolved, secrets masked. */
    static int help(Settings settings, PrintStream out) {
        out.println("""
                wikiedits: Wikimedia recentchange stream -> CSV data lake + OpenSearch index

                Usage: java [-Dkey=value ...] -jar target/camel-app.jar [command] [options] [--debug]

                Commands:
                  run        run the pipeline (the default)
                  query      run a named SQL query over the lake (DuckDB locally, Athena in aws mode),
                             or locally one read-only SELECT: query --sql "SELECT ... FROM wikiedits_v"
                  compact    rewrite lake partitions without duplicate event_ids
                  record     save the live stream to an NDJSON file for offline replay
                  replay-dead-letters
                             send dead letters (or what Firehose could not index) again, once each, to the sink
                             that never got them, after their cause is fixed (docs/dead-letters.md)
                  --help     this text; after a command (run --help, query --help, ...) that command's options
                  --version  the version of this build

                An error that stops a command prints one line (wikiedits: ...) and exits with 2 (usage or
                settings) or 1 (anything else); --debug adds its stack trace.
                """);
        for (String usage : List.of(RunCommand.USAGE, QueryCommand.USAGE, CompactCommand.USAGE, Recorder.USAGE,
                ReplayCommand.USAGE)) {
            out.println(usage.indent(2));
        }
        out.println("""
                Settings (application.properties; override with -Dkey=value before -jar, or an
                environment variable such as WIKIEDITS_SOURCE_URL); each is checked before a command starts:
                """);
        new TreeMap<>(settings.asMap()).forEach((key, value) -> { // sorted: asMap() has no order
            if (key.startsWith("wikiedits.")) {
                out.printf("  %-42s %s%n", key, value.isEmpty() ? "(empty)" : Secrets.shown(key, value));
            }
        });
        out.println("""

                Secret settings (password, secret, token, credential, access key, webhook, ...) show as ****.
                A ./routes/ folder, when present, replaces the packaged route files (the log lists the files used).
                Offline: -Dwikiedits.source.url=generator: or -Dwikiedits.source.url=file:recording.ndjson""");
        return 0;
    }
}

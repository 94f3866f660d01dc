package org.wikiedits;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.wikiedits.aws.AwsDelivery;
import org.wikiedits.pipeline.ConfiguredSinks;
import org.wikiedits.source.Recorder;
import org.wikiedits.sql.CompactCommand;
import org.wikiedits.sql.QueryCommand;

/**
 * {@code java -jar camel-app.jar [run|query|compact|record|--help]}: dispatches the subcommands.
 * Only {@code run} starts Camel (and, in local mode, the embedded OpenSearch node).
 */
public final class App {

    private App() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "run" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        int status;
        try {
            status = switch (command) {
                case "run" -> run(Settings.load(), rest);
                case "query" -> QueryCommand.run(Settings.load(), rest);
                case "compact" -> CompactCommand.run(Settings.load(), rest);
                case "record" -> Recorder.run(Settings.load(), rest);
                case "-h", "--help", "help" -> help(Settings.load(), System.out);
                default -> {
                    System.err.println("Unknown command '" + command + "'. Try --help.");
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            System.err.println("wikiedits: " + e.getMessage());
            status = 2;
        }
        if (status != 0) {
            System.exit(status);
        }
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
        List<String> folders = new ArrayList<>(List.of(""));
        folders.addAll(mode.equals("aws") ? AwsDelivery.parse(awsDelivery).routeFolders() : sinks.localRouteFolders());
        return PackagedRoutes.routesPattern(folders, localRoutes);
    }

    static String version() {
        String version = App.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** The usage text and every {@code wikiedits.*} setting as resolved, secrets masked. */
    static int help(Settings settings, PrintStream out) {
        out.println("""
                wikiedits: Wikimedia recentchange stream -> CSV data lake + OpenSearch index

                Usage: java -jar target/camel-app.jar [command] [-Dkey=value ...]

                Commands:
                  run        run the pipeline (the default)
                  query      run a named SQL query over the lake (DuckDB locally, Athena in aws mode),
                             or locally one read-only SELECT: query --sql "SELECT ... FROM wikiedits_v"
                  compact    rewrite lake partitions without duplicate event_ids
                  record     save the live stream to an NDJSON file for offline replay
                  --help     this text

                Settings (application.properties; override with -Dkey=value before -jar, or an
                environment variable such as WIKIEDITS_SOURCE_URL):
                """);
        new TreeMap<>(settings.asMap()).forEach((key, value) -> { // sorted: asMap() has no order
            if (key.startsWith("wikiedits.")) {
                out.printf("  %-42s %s%n", key, value.isEmpty() ? "(empty)" : Secrets.shown(key, value));
            }
        });
        out.println("""

                Secret settings (password, secret, token, credential, access key, webhook, ...) show as ****.
                A ./routes/ folder, when present, replaces the packaged route files.
                Offline: -Dwikiedits.source.url=generator: or -Dwikiedits.source.url=file:recording.ndjson""");
        return 0;
    }
}

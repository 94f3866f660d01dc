package org.wikiedits;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar camel-app.jar [run|query|compact|record|--help]}: dispatches the subcommands.
 * Only {@code run} starts Camel (and, in local mode, the embedded OpenSearch node).
 */
public final class App {

    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private App() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "run" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        int status;
        try {
            status = switch (command) {
                case "run" -> run(Settings.load(), rest);
                case "record" -> org.wikiedits.source.Recorder.run(Settings.load(), rest);
                case "-h", "--help", "help" -> help();
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

    /** The pipeline: Camel with the packaged routes, or those in ./routes/ when that folder exists. */
    static int run(Settings settings, String[] camelArgs) throws Exception {
        String mode = settings.require("wikiedits.mode");
        if (!mode.equals("local") && !mode.equals("aws")) {
            throw new IllegalArgumentException("wikiedits.mode must be 'local' or 'aws', not '" + mode + "'");
        }
        Main main = new Main();
        main.setOverrideProperties(toProperties(settings.asMap()));
        main.configure().withRoutesIncludePattern(routesPattern(mode, Path.of("routes")));
        LOG.info("wikiedits {} starting in {} mode: source {}, data in {}", version(), mode,
                settings.get("wikiedits.source.url"), settings.dataDir().toAbsolutePath().normalize());
        return main.run(camelArgs);
    }

    /** The packaged routes, or a ./routes/ folder that replaces them (never merged). */
    static String routesPattern(String mode, Path localRoutes) {
        String base = Files.isDirectory(localRoutes) ? "file:" + localRoutes.toString().replace('\\', '/') : "classpath:routes";
        return base + "/*.camel.yaml," + base + "/" + mode + "/*.camel.yaml";
    }

    private static java.util.Properties toProperties(Map<String, String> map) {
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(map);
        return properties;
    }

    static String version() {
        String version = App.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static int help() {
        System.out.println("""
                wikiedits: Wikimedia recentchange stream -> CSV data lake + OpenSearch index

                Usage: java -jar target/camel-app.jar [command] [-Dkey=value ...]

                Commands:
                  run        run the pipeline (the default)
                  query      run a named SQL query over the lake (DuckDB locally, Athena in aws mode)
                  compact    rewrite lake partitions without duplicate event_ids
                  record     save the live stream to an NDJSON file for offline replay
                  --help     this text

                Settings (application.properties; override with -Dkey=value before -jar, or an
                environment variable such as WIKIEDITS_SOURCE_URL):
                """);
        Settings settings = Settings.load();
        settings.asMap().forEach((key, value) -> {
            if (key.startsWith("wikiedits.")) {
                System.out.printf("  %-42s %s%n", key, value.isEmpty() ? "(empty)" : value);
            }
        });
        System.out.println("""

                A ./routes/ folder, when present, replaces the packaged route files.
                Offline: -Dwikiedits.source.url=generator: or -Dwikiedits.source.url=file:recording.ndjson""");
        return 0;
    }
}

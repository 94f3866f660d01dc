package org.wikiedits.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.wikiedits.config.AwsClients;
import org.wikiedits.config.AwsSettings;
import org.wikiedits.config.ConfiguredSinks;
import org.wikiedits.config.Settings;
import org.wikiedits.delivery.Backoff;
import org.wikiedits.sink.index.OpenSearchEndpoint;
import org.wikiedits.source.http.Since;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code replay-dead-letters [--sink lake|index] [--since TIME] [--reason TEXT] [--dry-run] [--from s3://...]}:
 * sends what was set aside (the dead-letter store, or with {@code --from} what Firehose's index stream
 * wrote under {@code errors/index-failed/}) through the pipeline's transformations to the sinks that never
 * got it, and marks what arrived ({@link ReplayLedger}). See docs/dead-letters.md.
 *
 * <p>Beside the running app, without its lock on the data folder: the index is written over HTTP (the
 * embedded node while the app runs, or {@code wikiedits.opensearch.url}); the lake in files of its own that
 * appear by an atomic rename, never in the app's pending files. Plain Java rather than Camel routes: one
 * pass over a file or a prefix and a few bulk requests, nothing to consume, schedule or retry forever.
 *
 * <p>Exit status: 0 everything selected arrived (or nothing was to do), 1 something failed again, 2 usage or settings.
 */
public final class ReplayCommand {

    public static final String USAGE = """
            Usage: replay-dead-letters [--sink lake|index] [--since TIME] [--reason TEXT] [--dry-run]
                   replay-dead-letters --from s3://BUCKET/errors/index-failed/ [--since TIME] [--reason TEXT] [--dry-run]
              --sink     only to that sink; default: each dead letter to the sinks that never got it (its stage)
              --since    only what was set aside at or after TIME (ISO-8601 such as 2026-12-07T10:00:00Z, a date, or epoch ms)
              --reason   only dead letters whose reason contains TEXT (any case), e.g. mapper_parsing_exception
              --dry-run  list what would be sent; send and mark nothing
              --from     what Firehose could not index (aws mode, firehose delivery), read from S3, into the index
            Each meta.id is sent once; what arrived is marked in <wikiedits.data.dir>/dead-letter-replayed.ndjson
            and not sent again. Runs beside the app: the index over HTTP (the embedded node only while the app
            runs), the lake in new files renamed into place. Exit 0 all sent, 1 some failed again (listed).""";

    private ReplayCommand() {
    }

    public static int run(Settings settings, String[] args) {
        return run(settings, args, System.out, System.err);
    }

    static int run(Settings settings, String[] args, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("wikiedits: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (arguments.help) {
            out.println(USAGE);
            return 0;
        }
        String mode = settings.get("wikiedits.mode");
        boolean aws = mode.equals("aws");
        Path dataDir = settings.dataDir();
        List<ReplaySink<?>> sinks = new ArrayList<>();
        try {
            ConfiguredSinks configured = aws ? new ConfiguredSinks(false, true) : ConfiguredSinks.parse(settings.get(ConfiguredSinks.KEY));
            if (arguments.sink.isPresent() && !configured.names().contains(arguments.sink.get())) {
                err.println("wikiedits: " + (aws && arguments.sink.get().equals(ConfiguredSinks.LAKE)
                        ? "the lake is not replayed in aws mode: its S3 files are written by Firehose or the app's upload"
                        + " route; replay the index, or send the events again (docs/dead-letters.md)"
                        : "--sink " + arguments.sink.get() + " is not among wikiedits.sinks (" + String.join(",", configured.names()) + ")"));
                return 2;
            }
            if (configured.lake() && arguments.from == null && arguments.sink.map(ConfiguredSinks.LAKE::equals).orElse(true)) {
                sinks.add(new LakeReplay(dataDir, settings.getLong("wikiedits.lake.roll-bytes"),
                        settings.getInt("wikiedits.lake.dedupe-partitions")));
            }
            if (configured.index() && arguments.sink.map(ConfiguredSinks.INDEX::equals).orElse(true)) {
                sinks.add(new IndexReplay(indexEndpoint(settings, aws), new Backoff(200, 5000)));
            }
        } catch (IllegalArgumentException e) {
            closeAll(sinks);
            err.println("wikiedits: " + e.getMessage());
            return 2;
        }
        try (ReplayLedger ledger = ReplayLedger.open(dataDir)) {
            List<Letter> letters = arguments.from == null ? DeadLetterFiles.read(dataDir.resolve("dead-letter"))
                    : readFirehoseFailures(settings, arguments.from);
            Replay replay = new Replay(ledger, arguments.dryRun, out, Clock.systemUTC());
            Replay.Selection selection = new Replay.Selection(arguments.since, arguments.reason);
            Replay.Report report = new Replay.Report(0, 0, 0, 0);
            for (ReplaySink<?> sink : sinks) {
                report = report.plus(replay.replay(letters, selection, sink));
            }
            out.println(summary(report, arguments, ledger, sinks));
            return report.failed() > 0 ? 1 : 0;
        } catch (IllegalStateException | IOException | SdkException e) {
            err.println("wikiedits: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("wikiedits: interrupted");
            return 1;
        } finally {
            closeAll(sinks);
        }
    }

    /** The index: {@code wikiedits.opensearch.url} (in aws mode the domain's), else the embedded node of the running app. */
    private static OpenSearchEndpoint indexEndpoint(Settings settings, boolean aws) {
        Optional<OpenSearchEndpoint> configured = OpenSearchEndpoint.configured(settings);
        if (configured.isPresent()) {
            return configured.get();
        }
        if (aws) {
            throw new IllegalArgumentException("in aws mode the index is the domain's: set " + OpenSearchEndpoint.URL_SETTING
                    + " to its endpoint (https://...), and wikiedits.opensearch.username / .password");
        }
        return OpenSearchEndpoint.of("http://127.0.0.1:" + settings.getInt("wikiedits.opensearch.embedded.http-port"), "", "");
    }

    private static List<Letter> readFirehoseFailures(Settings settings, URI from) {
        try (S3Client s3 = AwsClients.s3(AwsSettings.from(settings::get))) {
            return FirehoseIndexFailures.read(s3, from);
        }
    }

    private static String summary(Replay.Report report, Arguments arguments, ReplayLedger ledger, List<ReplaySink<?>> sinks) {
        StringBuilder text = new StringBuilder("replay-dead-letters: ");
        if (arguments.dryRun) {
            text.append(report.wouldSend()).append(" would be sent (dry run: nothing sent or marked)");
        } else {
            text.append(report.sent()).append(" sent");
        }
        text.append(", ").append(report.failed()).append(" failed again, ").append(report.alreadyReplayed())
                .append(" replayed before (left alone)");
        sinks.stream().filter(LakeReplay.class::isInstance).map(LakeReplay.class::cast).filter(lake -> lake.alreadyInTheLake() > 0)
                .forEach(lake -> text.append("; ").append(lake.alreadyInTheLake()).append(" already in the lake"));
        if (report.sent() > 0) {
            text.append("; marked in ").append(ledger.file());
        }
        return text.toString();
    }

    private static void closeAll(List<ReplaySink<?>> sinks) {
        for (ReplaySink<?> sink : sinks) {
            try {
                sink.close();
            } catch (Exception ignored) {
                // nothing is lost: everything sent was acknowledged or reported
            }
        }
    }

    /** The parsed options. */
    static final class Arguments {
        boolean help;
        boolean dryRun;
        Optional<String> sink = Optional.empty();
        Instant since;
        String reason;
        URI from;

        static Arguments parse(String[] args) {
            Arguments parsed = new Arguments();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> parsed.help = true;
                    case "--dry-run" -> parsed.dryRun = true;
                    case "--sink" -> {
                        String sink = value(args, ++i, arg);
                        if (!sink.equals(ConfiguredSinks.LAKE) && !sink.equals(ConfiguredSinks.INDEX)) {
                            throw new IllegalArgumentException("--sink is lake or index, not '" + sink + "'");
                        }
                        parsed.sink = Optional.of(sink);
                    }
                    case "--since" -> {
                        String since = value(args, ++i, arg);
                        try {
                            parsed.since = Since.parse(since);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("--since takes an ISO-8601 time such as 2026-12-07T10:00:00Z, a date"
                                    + " or epoch milliseconds, not '" + since + "'");
                        }
                    }
                    case "--reason" -> parsed.reason = value(args, ++i, arg);
                    case "--from" -> parsed.from = s3Location(value(args, ++i, arg));
                    default -> throw new IllegalArgumentException("unexpected '" + arg + "'");
                }
            }
            if (parsed.from != null && parsed.sink.map(ConfiguredSinks.LAKE::equals).orElse(false)) {
                throw new IllegalArgumentException("--from reads what Firehose could not index: it replays into the index only");
            }
            return parsed;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static URI s3Location(String text) {
            URI uri;
            try {
                uri = URI.create(text);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || !"s3".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("--from takes s3://BUCKET/PREFIX/ (e.g. s3://my-lake/errors/index-failed/), not '" + text + "'");
            }
            return uri;
        }
    }
}

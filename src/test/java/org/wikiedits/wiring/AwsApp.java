package org.wikiedits.wiring;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.wikiedits.app.Pipeline;
import org.wikiedits.config.Settings;
import org.wikiedits.testing.Kinesalite;

/** The app in aws mode with the shipped routes, in-process, configured for the local stand-ins and short timings. */
public final class AwsApp {

    private AwsApp() {
    }

    public static Map<String, String> settings(Path data, Path recording, URI kinesisEndpoint, String stream) throws IOException {
        Map<String, String> values = new HashMap<>();
        values.put("wikiedits.mode", "aws");
        values.put("wikiedits.aws.delivery", "firehose");
        values.put("wikiedits.aws.region", "us-east-1");
        values.put("wikiedits.kinesis.endpoint", kinesisEndpoint.toString());
        values.put("wikiedits.kinesis.stream", stream);
        values.put("wikiedits.kinesis.linger-ms", "100");
        values.put("wikiedits.kinesis.retry-base-ms", "20");
        values.put("wikiedits.kinesis.retry-max-ms", "200");
        values.put("wikiedits.kinesis.poll-ms", "100");
        values.put("wikiedits.source.url", "file:" + recording.toAbsolutePath());
        values.put("wikiedits.data.dir", data.toString());
        values.put("wikiedits.http.port", String.valueOf(Kinesalite.freePort()));
        values.put("wikiedits.progress.seconds", "60");
        values.put("wikiedits.lake.roll-seconds", "1");
        return values;
    }

    public static Pipeline start(Map<String, String> settings) throws Exception {
        return new Pipeline(Settings.load().with(settings)).start();
    }
}

package org.wikiedits.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.app.Pipeline;
import org.wikiedits.config.Settings;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.TestCamel;

/**
 * {@code /health} of the app's Camel Main (lake only), started in-process, while the live source cannot
 * connect: a port on 127.0.0.1 nobody listens on.
 */
class SourceConnectionHealthTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path data;

    @Test
    void healthNamesTheSourcesLastConnectionErrorInsteadOfNotConnectedYet() throws Exception {
        int httpPort = LoopbackPorts.free();
        int refusing = LoopbackPorts.free();
        while (refusing == httpPort) {
            refusing = LoopbackPorts.free();
        }
        String source = "http://127.0.0.1:" + refusing + "/v2/stream/recentchange";
        Settings settings = Settings.load().with(Map.of("wikiedits.http.port", String.valueOf(httpPort),
                "wikiedits.data.dir", data.toString(), "wikiedits.sinks", "lake", "wikiedits.source.url", source));
        try (Pipeline pipeline = new Pipeline(settings).bind("cliConnectorFactory", TestCamel.disabledCliConnector())) {
            pipeline.start();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(HTTP.send(health,
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("{\"status\":\"DEGRADED\",\"reasons\":[\"source: cannot reach "
                    + "<url> (ConnectException: connection refused)\"]}")); // the log names the URL
        }
    }
}

package org.wikiedits.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.TestCamel;

/**
 * {@code /health} of the app's Camel Main (application.properties, WikieditsBeans, the shipped source and ops
 * routes), started in-process, while the live source cannot connect: a port on 127.0.0.1 nobody listens on.
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
        Main main = new Main();
        Properties settings = new Properties();
        settings.put("wikiedits.source.url", source);
        settings.put("wikiedits.http.port", String.valueOf(httpPort));
        settings.put("wikiedits.data.dir", data.toString());
        settings.put("wikiedits.sinks", "lake");
        settings.put("camel.main.routes-include-pattern", "classpath:routes/source.camel.yaml,classpath:routes/ops.camel.yaml");
        main.setOverrideProperties(settings);
        main.bind("cliConnectorFactory", TestCamel.disabledCliConnector());
        main.start();
        try {
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(HTTP.send(health,
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("{\"status\":\"DEGRADED\",\"reasons\":[\"source: cannot reach "
                    + source + " (ConnectException: connection refused)\"]}"));
        } finally {
            main.stop();
        }
    }
}

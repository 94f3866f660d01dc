package org.wikiedits.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.component.platform.http.main.MainHttpServerUtil;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.app.Pipeline;
import org.wikiedits.config.Settings;
import org.wikiedits.testing.CapturedLog;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.TestCamel;

/** The app's Camel Main started in-process (lake only, the generator), its HTTP server on the default 127.0.0.1. */
class HttpEndpointsSummaryTest {

    @TempDir
    Path data;

    @Test
    void theStartUpSummaryNamesTheLoopbackAddressTheServerIsBoundToNotAllInterfaces() throws Exception {
        String base = "http://127.0.0.1:" + LoopbackPorts.free();
        Settings settings = Settings.load().with(Map.of("wikiedits.http.port", base.substring(base.lastIndexOf(':') + 1),
                "wikiedits.data.dir", data.toString(), "wikiedits.sinks", "lake", "wikiedits.source.url", "generator:"));
        try (CapturedLog ours = new CapturedLog(HttpEndpointsSummary.class);
             CapturedLog camels = new CapturedLog(MainHttpServerUtil.class);
             Pipeline pipeline = new Pipeline(settings).bind("cliConnectorFactory", TestCamel.disabledCliConnector())) {
            pipeline.start();
            // logged once Camel is fully started, which may come a moment after start() returns
            await().atMost(Duration.ofSeconds(20)).until(() -> !ours.messages(Level.INFO).isEmpty());
            List<String> lines = ours.messages(Level.INFO);
            assertThat(lines).first().isEqualTo("HTTP endpoints on " + base);
            assertThat(lines.subList(1, lines.size())).allMatch(line -> line.startsWith("    " + base + "/"))
                    .anyMatch(line -> line.matches(" {4}\\Q" + base + "\\E/health +\\(GET\\)"))
                    .anyMatch(line -> line.matches(" {4}\\Q" + base + "\\E/metrics +\\(GET\\)"));
            assertThat(camels.messages(Level.INFO)).as("Camel's own summary, which says 0.0.0.0").isEmpty();
        }
    }
}

package org.wikiedits.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.component.platform.http.main.MainHttpServerUtil;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.testing.CapturedLog;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.TestCamel;

/** Camel Main's HTTP server on 127.0.0.1 (the default wikiedits.http.host), started in-process as the app configures it. */
class HttpEndpointsSummaryTest {

    @TempDir
    Path data;

    @Test
    void theStartUpSummaryNamesTheLoopbackAddressTheServerIsBoundToNotAllInterfaces() throws Exception {
        int port = LoopbackPorts.free();
        Main main = new Main();
        Properties settings = new Properties();
        // application.properties and WikieditsBeans as the app has them; just the ops routes (/health, /metrics)
        settings.put("wikiedits.http.port", String.valueOf(port));
        settings.put("wikiedits.data.dir", data.toString());
        settings.put("wikiedits.sinks", "lake");
        settings.put("camel.main.routes-include-pattern", "classpath:routes/ops.camel.yaml");
        main.setOverrideProperties(settings);
        main.bind("cliConnectorFactory", TestCamel.disabledCliConnector());
        try (CapturedLog ours = new CapturedLog(HttpEndpointsSummary.class);
             CapturedLog camels = new CapturedLog(MainHttpServerUtil.class)) {
            main.start();
            try {
                assertThat(ours.messages(Level.INFO)).containsExactly(
                        "HTTP endpoints on http://127.0.0.1:" + port,
                        "    http://127.0.0.1:" + port + "/health   (GET)",
                        "    http://127.0.0.1:" + port + "/metrics  (GET)");
                assertThat(camels.messages(Level.INFO)).as("Camel's own summary, which says 0.0.0.0").isEmpty();
            } finally {
                main.stop();
            }
        }
    }
}

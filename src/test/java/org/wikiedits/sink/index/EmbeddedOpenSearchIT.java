package org.wikiedits.sink.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.testing.LoopbackPorts;
import org.wikiedits.testing.OpenSearchHttp;

/** One real node for the class (started in about 5 s); the restart test replaces it with a second start. */
class EmbeddedOpenSearchIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static int httpPort;
    static EmbeddedOpenSearch node;
    /** Requests to the node, on its port across the restart. */
    static OpenSearchHttp client;

    @BeforeAll
    static void startNode() {
        httpPort = LoopbackPorts.free();
        node = EmbeddedOpenSearch.start(dataDir, httpPort);
        client = new OpenSearchHttp(OpenSearchEndpoint.embedded(node));
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (client != null) {
            client.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void servesHttpOnExactlyTheConfiguredPortBoundToLoopbackOnly() throws Exception {
        assertThat(node.url()).isEqualTo("http://127.0.0.1:" + httpPort);

        JsonNode local = JSON.readTree(client().get("/_nodes/_local/http,transport").body()).path("nodes");
        JsonNode info = local.elements().next();
        List<String> bound = new ArrayList<>();
        info.path("http").path("bound_address").forEach(address -> bound.add(address.asText()));
        info.path("transport").path("bound_address").forEach(address -> bound.add(address.asText()));

        assertThat(info.path("http").path("publish_address").asText()).isEqualTo("127.0.0.1:" + httpPort);
        assertThat(bound).isNotEmpty().allSatisfy(address -> assertThat(address).startsWith("127.0.0.1:"));
        assertThat(node.home()).isEqualTo(dataDir.resolve("opensearch").toAbsolutePath().normalize());
    }

    @Test
    void runsAsOneNodeClusterWithoutTheReindexModule() throws Exception {
        JsonNode health = JSON.readTree(client().get("/_cluster/health").body());
        String plugins = client().get("/_cat/plugins?h=component").body();

        assertThat(health.path("number_of_nodes").asInt()).isEqualTo(1);
        assertThat(plugins).contains("Netty4Plugin").doesNotContain("ReindexPlugin");
    }

    @Test
    void refusesAPortThatIsTakenWithAMessageNamingTheSetting(@TempDir Path otherDataDir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedOpenSearch.start(otherDataDir, port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Port " + port)
                    .hasMessageContaining("wikiedits.opensearch.embedded.http-port");
        }
    }

    @Test
    void keepsItsDocumentsAcrossARestartOnTheSameDataFolder() throws Exception {
        OpenSearchHttp.Answer indexed = client().putJson("/restart-check/_doc/kept?refresh=true", "{\"title\":\"survives\"}");
        assertThat(indexed.status()).isEqualTo(201);

        node.close();
        node = EmbeddedOpenSearch.start(dataDir, httpPort);

        OpenSearchHttp.Answer found = client().get("/restart-check/_doc/kept");
        assertThat(found.status()).isEqualTo(200);
        assertThat(JSON.readTree(found.body()).path("_source").path("title").asText()).isEqualTo("survives");
    }

    private static OpenSearchHttp client() {
        return client;
    }
}

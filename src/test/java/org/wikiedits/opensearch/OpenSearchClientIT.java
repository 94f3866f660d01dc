package org.wikiedits.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikiedits.checkpoint.CheckpointStore;
import org.wikiedits.checkpoint.CommitTracker;
import org.wikiedits.deadletter.DeadLetterStore;
import org.wikiedits.sink.index.IndexWriter;

/**
 * The client against a stand-in for a secured cluster: HTTPS with a self-signed certificate for
 * 127.0.0.1, answering 401 unless the request carries the right basic credentials.
 */
class OpenSearchClientIT {

    private static final String PASSWORD = "s3cret-Pa55";
    private static final String EXPECTED = "Basic " + Base64.getEncoder()
            .encodeToString(("wikiedits:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path work;
    HttpsServer server;
    SSLContext tls;
    final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startSecuredStandIn() throws Exception {
        Path keystore = work.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), trust.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(authorization));
            byte[] body = (EXPECTED.equals(authorization) ? "{\"acknowledged\":true}"
                    : "{\"error\":{\"type\":\"security_exception\",\"reason\":\"missing authentication credentials\"},\"status\":401}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(EXPECTED.equals(authorization) ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sendsBasicCredentialsOverTlsWithTheFirstRequest() throws Exception {
        OpenSearchClient client = new OpenSearchClient(OpenSearchEndpoint.of(url(), "wikiedits", PASSWORD), tls,
                Duration.ofSeconds(10));

        OpenSearchClient.Response response = client.get("/");

        assertThat(response.status()).isEqualTo(200);
        assertThat(authorizations).containsExactly(EXPECTED);
    }

    @Test
    void anIndexWriterWithWrongCredentialsFailsAtStartNamingTheSettingsButNotThePassword() {
        OpenSearchClient client = new OpenSearchClient(OpenSearchEndpoint.of(url(), "wikiedits", "wrong-" + PASSWORD), tls,
                Duration.ofSeconds(10));
        IndexWriter writer = new IndexWriter(client,
                new CommitTracker(new CheckpointStore(work.resolve("state"), "test"), List.of(IndexWriter.SINK)),
                new DeadLetterStore(work.resolve("dead-letter")), 10, Duration.ofSeconds(1));

        assertThatThrownBy(writer::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("wikiedits.opensearch.username")
                .hasMessageNotContaining(PASSWORD);
    }

    private String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }
}

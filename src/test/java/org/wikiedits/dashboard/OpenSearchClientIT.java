package org.wikiedits.dashboard;

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
import java.time.Clock;
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
import com.fasterxml.jackson.databind.util.RawValue;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.opensearch.client.RestClient;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.bulk.IndexOperation;
import org.wikiedits.sink.index.IndexTemplate;
import org.wikiedits.sink.index.OpenSearchEndpoint;
import org.wikiedits.sink.index.OpenSearchRestClients;
import org.wikiedits.testing.TestCamel;

/**
 * The REST client ({@link OpenSearchRestClients}) against a stand-in for a secured cluster: HTTPS with a
 * self-signed certificate for 127.0.0.1, answering 401 unless the request carries the right basic
 * credentials. As the client of the index template, the one the {@code opensearch:} endpoint is autowired
 * with, and the one the dashboard's live panels ({@link LiveIndex}) search through.
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
    final List<String> paths = new CopyOnWriteArrayList<>();
    /** Set: the stand-in has no index yet (404 for requests on it), as a fresh cluster before the first delivery. */
    volatile boolean noIndex;

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
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (noIndex && exchange.getRequestURI().getPath().startsWith("/wikiedits/")) {
                byte[] missing = "{\"error\":{\"type\":\"index_not_found_exception\"},\"status\":404}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(404, missing.length);
                exchange.getResponseBody().write(missing);
                exchange.close();
                return;
            }
            byte[] body = (EXPECTED.equals(authorization) ? (exchange.getRequestURI().getPath().endsWith("/_bulk")
                    ? "{\"took\":1,\"errors\":false,\"items\":[{\"index\":{\"_index\":\"wikiedits\",\"_id\":\"a\",\"status\":201}}]}"
                    : "{\"acknowledged\":true}")
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
    void theLivePanelsSearchOverTlsWithBasicCredentialsInTheFirstRequest() throws Exception {
        OpenSearchEndpoint endpoint = OpenSearchEndpoint.of(url(), "wikiedits", PASSWORD);
        try (RestClient client = OpenSearchRestClients.create(endpoint, tls)) {
            LiveIndex live = new LiveIndex(client, endpoint, Clock.systemUTC());

            Object feed = live.panel("feed", "3", null, null);

            assertThat(feed).hasFieldOrPropertyWithValue("changes", List.of());
            assertThat(paths).containsExactly("POST /wikiedits/_search");
            assertThat(authorizations).containsExactly(EXPECTED);
        }
    }

    @Test
    void aLivePanelRefusedByTheIndexIsUnavailableWithTheStatusAndOnlyTheDetailSaysWhere() throws Exception {
        OpenSearchEndpoint endpoint = OpenSearchEndpoint.of(url(), "wikiedits", "wrong-" + PASSWORD);
        try (RestClient client = OpenSearchRestClients.create(endpoint, tls)) {
            LiveIndex live = new LiveIndex(client, endpoint, Clock.systemUTC());

            assertThatThrownBy(() -> live.panel("summary", null, null, null)).isInstanceOfSatisfying(PanelUnavailableException.class, e -> {
                assertThat(e.getMessage()).isEqualTo("The search index answered HTTP 401");
                assertThat(e.detail()).startsWith("the index at " + url() + " answered: ").contains("security_exception")
                        .doesNotContain(PASSWORD);
            });
        }
    }

    @Test
    void aLivePanelOfAClusterWithoutTheIndexYetIsEmptyAndSaysWhy() throws Exception {
        noIndex = true;
        OpenSearchEndpoint endpoint = OpenSearchEndpoint.of(url(), "wikiedits", PASSWORD);
        try (RestClient client = OpenSearchRestClients.create(endpoint, tls)) {
            LiveIndex live = new LiveIndex(client, endpoint, Clock.systemUTC());

            Object topWikis = live.panel("top-wikis", null, null, null);

            assertThat(topWikis).hasFieldOrPropertyWithValue("wikis", List.of());
            assertThat(topWikis.toString()).contains("No events indexed yet");
            assertThat(paths).containsExactly("POST /wikiedits/_search"); // the summary's: nothing to ask about an empty window
        }
    }

    @Test
    void theIndexTemplateGoesOverTlsWithBasicCredentialsInTheFirstRequest() throws Exception {
        OpenSearchEndpoint endpoint = OpenSearchEndpoint.of(url(), "wikiedits", PASSWORD);
        try (RestClient client = OpenSearchRestClients.create(endpoint, tls)) {
            IndexTemplate template = new IndexTemplate(client, endpoint);

            template.install();

            assertThat(template.installed()).isTrue();
            assertThat(paths).containsExactly("PUT /_index_template/wikiedits");
            assertThat(authorizations).containsExactly(EXPECTED);
        }
    }

    @Test
    void wrongCredentialsFailTheStartNamingTheSettingsButNotThePassword() throws Exception {
        OpenSearchEndpoint endpoint = OpenSearchEndpoint.of(url(), "wikiedits", "wrong-" + PASSWORD);
        try (RestClient client = OpenSearchRestClients.create(endpoint, tls)) {
            IndexTemplate template = new IndexTemplate(client, endpoint);

            assertThatThrownBy(template::install)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining("wikiedits.opensearch.username")
                    .hasMessageNotContaining(PASSWORD);
        }
    }

    @Test
    void theOpensearchBulkEndpointSendsThroughTheBoundClientWithItsCredentialsOverTls() throws Exception {
        RestClient client = OpenSearchRestClients.create(OpenSearchEndpoint.of(url(), "wikiedits", PASSWORD), tls);
        CamelContext camel = TestCamel.newContext();
        try {
            camel.getRegistry().bind("opensearchRestClient", RestClient.class, client);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:bulk").to("opensearch:wikiedits?operation=Bulk&indexName=wikiedits");
                }
            });
            camel.start();
            List<IndexOperation<RawValue>> operations = List.of(new IndexOperation.Builder<RawValue>()
                    .id("a").document(new RawValue("{\"title\":\"x\"}")).build());

            List<?> items = camel.createProducerTemplate().requestBody("direct:bulk", operations, List.class);

            assertThat(items).singleElement().isInstanceOfSatisfying(BulkResponseItem.class, item -> {
                assertThat(item.id()).isEqualTo("a");
                assertThat(item.status()).isEqualTo(201);
            });
            assertThat(paths).containsExactly("POST /wikiedits/_bulk");
            assertThat(authorizations).containsExactly(EXPECTED);
        } finally {
            camel.close();
            client.close();
        }
    }

    private String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }
}

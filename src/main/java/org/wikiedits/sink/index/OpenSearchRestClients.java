package org.wikiedits.sink.index;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.RestClient;
import org.opensearch.client.RestClientBuilder;
import org.wikiedits.delivery.ClosingService;

/**
 * The OpenSearch REST client of the index sink, built from {@code wikiedits.opensearch.url} (and
 * {@code .username} / {@code .password}): bound in the registry, the {@code opensearch:} component is
 * autowired with it (its {@code client} option), the index template is installed through it, and the
 * dashboard's live panels search through it.
 *
 * <p>Why not the component's own {@code hostAddresses}/{@code user}/{@code password}/{@code enableSSL}
 * options: they take {@code host:port} only (no path prefix behind a reverse proxy, the scheme from a
 * separate flag), and basic auth there waits for a challenge. Here the URL is used as the operator wrote
 * it, basic auth is sent with the first request (pre-emptively, as before), and TLS trusts the JVM's
 * trust store ({@code -Djavax.net.ssl.trustStore=...} for a private CA).
 */
public final class OpenSearchRestClients {

    private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(10);
    /** Long enough for a bulk of a few thousand documents on a busy node. */
    private static final Timeout RESPONSE_TIMEOUT = Timeout.ofSeconds(60);

    private OpenSearchRestClients() {
    }

    public static RestClient create(OpenSearchEndpoint endpoint) {
        return create(endpoint, defaultSslContext(), UnaryOperator.identity());
    }

    /** With a given TLS context (tests with a self-signed certificate). */
    public static RestClient create(OpenSearchEndpoint endpoint, SSLContext sslContext) {
        return create(endpoint, sslContext, UnaryOperator.identity());
    }

    /**
     * The client for the {@code opensearch:} component, which its routes share: a route that stops (a
     * reload) does not close it ({@link KeptOpenHttpClient}); Camel closes it when it stops, after the
     * services added later (the index sink).
     */
    public static RestClient shared(OpenSearchEndpoint endpoint, CamelContext context) {
        AtomicReference<KeptOpenHttpClient> http = new AtomicReference<>();
        RestClient client = create(endpoint, defaultSslContext(), configured -> new HttpAsyncClientBuilder() {
            @Override
            public CloseableHttpAsyncClient build() {
                http.set(new KeptOpenHttpClient(configured.build()));
                return http.get();
            }
        });
        try {
            context.addService(new ClosingService(() -> http.get().closeForGood()), true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the OpenSearch client with Camel", e);
        }
        return client;
    }

    private static RestClient create(OpenSearchEndpoint endpoint, SSLContext sslContext,
                                     UnaryOperator<HttpAsyncClientBuilder> finish) {
        URI url = endpoint.url();
        int port = url.getPort() != -1 ? url.getPort() : endpoint.isTls() ? 443 : 80;
        RestClientBuilder builder = RestClient.builder(new HttpHost(url.getScheme(), url.getHost(), port));
        if (url.getRawPath() != null && !url.getRawPath().isEmpty()) {
            builder.setPathPrefix(url.getRawPath());
        }
        if (endpoint.hasCredentials()) {
            String credentials = endpoint.username() + ":" + endpoint.password();
            builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))});
        }
        builder.setRequestConfigCallback(config -> config.setResponseTimeout(RESPONSE_TIMEOUT));
        builder.setHttpClientConfigCallback(http -> finish.apply(http.setConnectionManager(
                PoolingAsyncClientConnectionManagerBuilder.create()
                        .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(sslContext).build())
                        .setDefaultConnectionConfig(org.apache.hc.client5.http.config.ConnectionConfig.custom()
                                .setConnectTimeout(CONNECT_TIMEOUT).build())
                        .build())));
        return builder.build();
    }

    private static SSLContext defaultSslContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no default TLS context", e);
        }
    }
}

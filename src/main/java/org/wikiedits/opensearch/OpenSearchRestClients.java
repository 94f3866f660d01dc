package org.wikiedits.opensearch;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.RestClient;
import org.opensearch.client.RestClientBuilder;

/**
 * The OpenSearch REST client of the index sink, built from {@code wikiedits.opensearch.url} (and
 * {@code .username} / {@code .password}): bound in the registry, the {@code opensearch:} component is
 * autowired with it (its {@code client} option), and the index template is installed through it.
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
        return create(endpoint, defaultSslContext());
    }

    /** With a given TLS context (tests with a self-signed certificate). */
    public static RestClient create(OpenSearchEndpoint endpoint, SSLContext sslContext) {
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
        builder.setHttpClientConfigCallback(http -> http.setConnectionManager(
                PoolingAsyncClientConnectionManagerBuilder.create()
                        .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(sslContext).build())
                        .setDefaultConnectionConfig(org.apache.hc.client5.http.config.ConnectionConfig.custom()
                                .setConnectTimeout(CONNECT_TIMEOUT).build())
                        .build()));
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

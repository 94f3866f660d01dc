package org.wikiedits.sink.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wikiedits.config.Settings;

class OpenSearchEndpointTest {

    @Test
    void noUrlMeansTheEmbeddedNode() {
        assertThat(OpenSearchEndpoint.configured(settings(Map.of("wikiedits.opensearch.url", "")))).isEmpty();
    }

    @Test
    void anExternalUrlWithBasicAuthIsTakenFromTheSettings() {
        OpenSearchEndpoint endpoint = OpenSearchEndpoint.configured(settings(Map.of(
                "wikiedits.opensearch.url", "https://search.example.org:9200/",
                "wikiedits.opensearch.username", "wikiedits",
                "wikiedits.opensearch.password", "s3cret"))).orElseThrow();

        assertThat(endpoint.url()).hasToString("https://search.example.org:9200");
        assertThat(endpoint.isTls()).isTrue();
        assertThat(endpoint.hasCredentials()).isTrue();
    }

    @Test
    void thePasswordNeverAppearsInTheTextOfAnEndpoint() {
        OpenSearchEndpoint endpoint = OpenSearchEndpoint.of("https://search.example.org", "wikiedits", "s3cret");

        assertThat(endpoint.toString()).contains("search.example.org").contains("wikiedits").doesNotContain("s3cret");
    }

    @Test
    void credentialsInsideTheUrlAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> OpenSearchEndpoint.of("https://admin:s3cret@search.example.org", "", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wikiedits.opensearch.username")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aUserNameWithoutPasswordIsRefusedWithAMessageSayingWhatToSet() {
        assertThatThrownBy(() -> OpenSearchEndpoint.of("https://search.example.org", "wikiedits", ""))
                .hasMessageContaining("wikiedits.opensearch.password");
    }

    @Test
    void aUrlThatIsNotHttpIsRefusedWithAnExample() {
        assertThatThrownBy(() -> OpenSearchEndpoint.of("search.example.org:9200", "", ""))
                .hasMessageContaining("wikiedits.opensearch.url")
                .hasMessageContaining("https://");
    }

    @Test
    void aPathPrefixIsKeptForAClusterBehindAReverseProxy() {
        assertThat(OpenSearchEndpoint.of("http://127.0.0.1:8081/opensearch/", "", "").url())
                .hasToString("http://127.0.0.1:8081/opensearch");
    }

    private static Settings settings(Map<String, String> values) {
        return Settings.load().with(Map.of("wikiedits.opensearch.username", "", "wikiedits.opensearch.password", ""))
                .with(values);
    }
}

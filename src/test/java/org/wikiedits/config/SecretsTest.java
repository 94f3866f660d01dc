package org.wikiedits.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void settingsNamedLikeSecretsAreSecretWhateverTheirSpelling() {
        assertThat(Secrets.isSecret("wikiedits.opensearch.password")).isTrue();
        assertThat(Secrets.isSecret("wikiedits.alerts.webhook-url")).isTrue();
        assertThat(Secrets.isSecret("camel.component.aws2-s3.secret-key")).isTrue();
        assertThat(Secrets.isSecret("camel.component.aws2-s3.access-key")).isTrue();
        assertThat(Secrets.isSecret("WIKIEDITS_SOME_API_KEY")).isTrue();
        assertThat(Secrets.isSecret("wikiedits.github.token")).isTrue();
        assertThat(Secrets.isSecret("wikiedits.tls.private_key")).isTrue();
        assertThat(Secrets.isSecret("wikiedits.vault.credentials")).isTrue();

        assertThat(Secrets.isSecret("wikiedits.opensearch.username")).isFalse();
        assertThat(Secrets.isSecret("wikiedits.source.url")).isFalse();
        assertThat(Secrets.isSecret("wikiedits.s3.bucket")).isFalse();
        assertThat(Secrets.isSecret(null)).isFalse();
    }

    @Test
    void aSecretValueIsShownAsStarsAndASecretUrlKeepsOnlyItsSchemeAndHost() {
        assertThat(Secrets.shown("wikiedits.opensearch.password", "hunter2")).isEqualTo("****");
        assertThat(Secrets.shown("wikiedits.alerts.webhook-url", "https://hooks.slack.com/services/T000/B000/XXXXSECRET"))
                .isEqualTo("https://hooks.slack.com/****");
        assertThat(Secrets.shown("wikiedits.alerts.webhook-url", "https://bot:pw@chat.example.org:8443/hook?token=abc"))
                .isEqualTo("https://chat.example.org:8443/****");
        assertThat(Secrets.shown("wikiedits.alerts.webhook-url", "not a url but secret")).isEqualTo("****");
    }

    @Test
    void anEmptySecretStaysEmptySoUnsetAndSetCanBeToldApart() {
        assertThat(Secrets.shown("wikiedits.opensearch.password", "")).isEmpty();
    }

    @Test
    void otherUrlsLoseTheirUserInfoAndSecretQueryParametersButKeepTheRest() {
        assertThat(Secrets.shown("wikiedits.source.url", "https://alice:s3cret@stream.example.org/v2/stream/recentchange"))
                .isEqualTo("https://****@stream.example.org/v2/stream/recentchange");
        assertThat(Secrets.shown("wikiedits.source.url",
                "https://stream.example.org/rc?since=2026-11-30&access_token=abc123&key=k1&X-Amz-Signature=ffff&wiki=enwiki"))
                .isEqualTo("https://stream.example.org/rc?since=2026-11-30&access_token=****&key=****&X-Amz-Signature=****&wiki=enwiki");
        assertThat(Secrets.inUrl("https://u:p@host/x?apiKey=1#frag")).isEqualTo("https://****@host/x?apiKey=****#frag");
    }

    @Test
    void ordinaryValuesAreShownUnchanged() {
        assertThat(Secrets.shown("wikiedits.source.url", "https://stream.wikimedia.org/v2/stream/recentchange"))
                .isEqualTo("https://stream.wikimedia.org/v2/stream/recentchange");
        assertThat(Secrets.shown("wikiedits.source.url", "file:recording.ndjson")).isEqualTo("file:recording.ndjson");
        assertThat(Secrets.shown("wikiedits.http.port", "8080")).isEqualTo("8080");
        assertThat(Secrets.shown("wikiedits.source.user-agent", "wikiedits/0.1 (https://example.org; me@example.org)"))
                .isEqualTo("wikiedits/0.1 (https://example.org; me@example.org)");
    }

    @Test
    void aValidationMessageDoesNotEchoASecret() {
        Settings settings = Settings.load(java.util.Map.of(), new java.util.Properties(), java.nio.file.Path.of("no-such-file"))
                .with(java.util.Map.of("wikiedits.some.token-ttl", "abc-token-value", "wikiedits.source.url", "https://u:pw@h/"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> settings.getLong("wikiedits.some.token-ttl"))
                .hasMessageContaining("wikiedits.some.token-ttl must be a whole number, not '****'")
                .hasMessageNotContaining("abc-token-value");
        assertThat(settings.shown("wikiedits.source.url")).isEqualTo("https://****@h/");
    }
}

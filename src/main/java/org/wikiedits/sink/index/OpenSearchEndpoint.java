package org.wikiedits.sink.index;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import org.wikiedits.config.Secrets;
import org.wikiedits.config.Settings;

/**
 * Where the search index lives: an external OpenSearch ({@code wikiedits.opensearch.url}, with
 * optional basic auth from {@code wikiedits.opensearch.username} / {@code .password}; an
 * {@code https} URL means TLS) or the embedded node's URL. {@link #toString()} never shows the
 * password, and credentials are refused inside the URL so that the URL can be logged.
 */
public record OpenSearchEndpoint(URI url, String username, String password) {

    public static final String URL_SETTING = "wikiedits.opensearch.url";
    public static final String USERNAME_SETTING = "wikiedits.opensearch.username";
    public static final String PASSWORD_SETTING = "wikiedits.opensearch.password";

    public OpenSearchEndpoint {
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        if (!username.isEmpty() && password.isEmpty()) {
            throw new IllegalArgumentException(USERNAME_SETTING + " is set but " + PASSWORD_SETTING
                    + " is empty: set both for basic auth, or neither");
        }
        if (username.isEmpty() && !password.isEmpty()) {
            throw new IllegalArgumentException(PASSWORD_SETTING + " is set but " + USERNAME_SETTING
                    + " is empty: set both for basic auth, or neither");
        }
    }

    /** An endpoint from a URL text such as {@code https://search.example.org:9200}, validated. */
    public static OpenSearchEndpoint of(String url, String username, String password) {
        return new OpenSearchEndpoint(parse(url), username, password);
    }

    /** The external OpenSearch from the settings, or empty when {@code wikiedits.opensearch.url} is unset (embedded node). */
    public static Optional<OpenSearchEndpoint> configured(Settings settings) {
        String url = settings.get(URL_SETTING);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(of(url, settings.get(USERNAME_SETTING), settings.get(PASSWORD_SETTING)));
    }

    /** The embedded node: plain HTTP on loopback, no credentials. */
    public static OpenSearchEndpoint embedded(EmbeddedOpenSearch node) {
        return of(node.url(), "", "");
    }

    public boolean hasCredentials() {
        return !username.isEmpty();
    }

    public boolean isTls() {
        return "https".equals(url.getScheme());
    }

    @Override
    public String toString() {
        return url + (hasCredentials() ? " (basic auth as " + username + ")" : "");
    }

    private static URI parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(URL_SETTING + " is not a URL: set it like https://search.example.org:9200");
        }
        // checked before the URL is echoed in any message: it may hold a password
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(URL_SETTING + " must not contain credentials: put them in "
                    + USERNAME_SETTING + " and " + PASSWORD_SETTING);
        }
        String scheme = uri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException(URL_SETTING + " must be an http:// or https:// URL such as "
                    + "https://search.example.org:9200, not '" + Secrets.inUrl(trimmed) + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(URL_SETTING + " must not have a query or fragment: '" + Secrets.inUrl(trimmed) + "'");
        }
        // a path prefix (OpenSearch behind a reverse proxy) is kept; the trailing slash is not
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }
}

package org.wikiedits.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for showing setting values in {@code --help}, logs and error messages.
 * <ol>
 *   <li>A setting is secret when its key, in lower case without {@code .}, {@code -} and {@code _},
 *       contains one of {@link #SECRET_WORDS} (password, secret, token, credential, access key,
 *       api key, private key, passphrase, webhook). Its value is shown as {@code ****}; a URL keeps
 *       only its scheme and host ({@code https://hooks.slack.com/****}), so the operator can
 *       still tell which service it points at.</li>
 *   <li>In any other value that is a URL, user-info ({@code user:pass@}) becomes {@code ****@} and
 *       the value of a query parameter whose name is secret by the same words (or ends in
 *       {@code key}, {@code sig}, {@code signature}, {@code auth}, or is {@code code}, {@code pwd},
 *       {@code pass}) becomes {@code ****}.</li>
 * </ol>
 * An empty value stays empty, so "not set" and "set" can still be told apart.
 */
public final class Secrets {

    /** Substrings of a normalised key (or query parameter name) that make it secret. */
    static final List<String> SECRET_WORDS = List.of(
            "password", "passwd", "passphrase", "secret", "token", "credential", "accesskey", "apikey", "privatekey", "webhook");
    /** Query parameters are also secret when their name ends in one of these ({@code X-Amz-Signature}) or is {@code code}, {@code pwd}, {@code pass}. */
    private static final List<String> SECRET_PARAMETER_ENDINGS = List.of("key", "sig", "signature", "auth");
    private static final List<String> SECRET_PARAMETERS = List.of("code", "pwd", "pass");

    public static final String MASK = "****";

    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@");
    private static final Pattern SCHEME_AND_HOST = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)(?:[^/?#@]*@)?([^/?#@]*)");
    private static final Pattern QUERY_PARAMETER = Pattern.compile("([?&;])([^=&;#]+)=([^&;#]*)");

    private Secrets() {
    }

    /** Whether {@code key}'s value must never be shown. */
    public static boolean isSecret(String key) {
        return key != null && containsSecretWord(key);
    }

    /** {@code value} of setting {@code key} as it may be printed or logged. */
    public static String shown(String key, String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (isSecret(key)) {
            Matcher url = SCHEME_AND_HOST.matcher(value);
            return url.find() && !url.group(2).isEmpty() ? url.group(1) + url.group(2) + "/" + MASK : MASK;
        }
        return inUrl(value);
    }

    /** {@code text} with the user-info and the secret query parameters of a URL masked; anything else unchanged. */
    public static String inUrl(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = USER_INFO.matcher(text).replaceFirst("$1" + MASK + "@");
        int query = masked.indexOf('?');
        if (query < 0) {
            return masked;
        }
        Matcher parameter = QUERY_PARAMETER.matcher(masked);
        parameter.region(query, masked.length());
        StringBuilder out = new StringBuilder();
        while (parameter.find()) {
            String name = parameter.group(2);
            String value = isSecretParameter(name) ? MASK : parameter.group(3);
            parameter.appendReplacement(out, Matcher.quoteReplacement(parameter.group(1) + name + "=" + value));
        }
        parameter.appendTail(out);
        return out.toString();
    }

    private static boolean isSecretParameter(String name) {
        String normal = normalise(name);
        return containsSecretWord(name) || SECRET_PARAMETERS.contains(normal)
                || SECRET_PARAMETER_ENDINGS.stream().anyMatch(normal::endsWith);
    }

    private static boolean containsSecretWord(String name) {
        String normal = normalise(name);
        return SECRET_WORDS.stream().anyMatch(normal::contains);
    }

    private static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replace(".", "").replace("-", "").replace("_", "");
    }
}

package org.wikiedits.ops;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Text the HTTP endpoints show to any client (health reasons, API errors): the problem, without the
 * places it happened. URLs (an upstream with its host and port) and absolute file paths (the data
 * folder) are replaced; the log, which only the operator reads, keeps them.
 */
public final class PublicText {

    private static final Pattern URL = Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s,;)'\"]+");
    /** A path from the root, after a space, a bracket, a quote, '=' or the start: "/tmp/x/lake", not "events/s". */
    private static final Pattern UNIX_PATH = Pattern.compile("(?<=^|[\\s(\\['\"=])/[^\\s,;:)\\]'\"]+");
    private static final Pattern WINDOWS_PATH = Pattern.compile("\\b[A-Za-z]:\\\\[^\\s,;:)\\]'\"]*");

    private PublicText() {
    }

    public static String withoutLocations(String text) {
        if (text == null) {
            return null;
        }
        String shown = URL.matcher(text).replaceAll("<url>");
        shown = UNIX_PATH.matcher(shown).replaceAll("<path>");
        return WINDOWS_PATH.matcher(shown).replaceAll("<path>");
    }

    public static List<String> withoutLocations(List<String> texts) {
        return texts.stream().map(PublicText::withoutLocations).toList();
    }
}

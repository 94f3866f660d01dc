package org.wikiedits.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Where a change can be seen on its wiki: an edit's diff, a new page's first revision, else the
 * page. Links are built only for plain host names ({@code en.wikipedia.org}), so a document
 * cannot smuggle a {@code javascript:} or foreign-looking URL into the page.
 */
public final class DiffLinks {

    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");

    private DiffLinks() {
    }

    /** The link for a change, or {@code null} when its server name is not a plain host name. */
    public static String of(String serverName, String type, String title, Long revisionNew) {
        if (serverName == null || !HOST.matcher(serverName).matches()) {
            return null;
        }
        String base = "https://" + serverName;
        if ("edit".equals(type) && revisionNew != null && revisionNew > 0) {
            return base + "/w/index.php?diff=" + revisionNew; // MediaWiki shows the diff to the previous revision
        }
        if ("new".equals(type) && revisionNew != null && revisionNew > 0) {
            return base + "/w/index.php?oldid=" + revisionNew;
        }
        if (title == null || title.isBlank()) {
            return null;
        }
        return base + "/wiki/" + URLEncoder.encode(title.replace(' ', '_'), StandardCharsets.UTF_8).replace("%2F", "/")
                .replace("%3A", ":");
    }
}

package org.wikiedits.detect;

import org.wikiedits.transform.RecentChange;

/**
 * What one detector counts an event under, and how an alert names it: a page, a bot account or a wiki,
 * with the links that show it.
 */
record Subject(String key, String wiki, String serverName, String page, String user, String link, String historyLink) {

    static Subject page(RecentChange rc) {
        return new Subject(rc.wiki() + ":" + rc.title(), rc.wiki(), rc.serverName(), rc.title(), null,
                Alert.pageLink(rc.serverName(), rc.title()), Alert.historyLink(rc.serverName(), rc.title()));
    }

    static Subject user(RecentChange rc) {
        return new Subject(rc.user(), rc.wiki(), rc.serverName(), null, rc.user(),
                Alert.contributionsLink(rc.serverName(), rc.user()), null);
    }

    static Subject wiki(RecentChange rc) {
        return new Subject(rc.wiki(), rc.wiki(), rc.serverName(), null, null, Alert.newPagesLink(rc.serverName()), null);
    }
}

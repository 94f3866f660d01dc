package org.wikiedits.detect;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One alert: what a detector saw (its kind, the subject: a page, a bot account or a wiki), over which
 * window of event time, against which baseline, and links to look at it. Its {@code id} is kind, subject
 * and window start, so the same alert found again (a replay, a restart) is the same document in the
 * alerts index. Written as one JSON line to {@code <data>/alerts/} and the {@code alerts-wikiedits} index.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(
        String id,
        String kind,
        @JsonProperty("@timestamp") String time,
        String wiki,
        @JsonProperty("server_name") String serverName,
        String page,
        String user,
        String subject,
        @JsonProperty("window_start") String windowStart,
        @JsonProperty("window_minutes") long windowMinutes,
        long count,
        double baseline,
        double score,
        @JsonProperty("first_event_id") String firstEventId,
        @JsonProperty("last_event_id") String lastEventId,
        String link,
        @JsonProperty("history_link") String historyLink,
        String text) {

    /** The alerts index (not {@code wikiedits-…}: that name would take the edits' template and pattern). */
    public static final String INDEX = "alerts-wikiedits";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** The alert as one line of JSON; also the webhook's body, Slack-compatible: {@code text} for the chat, the fields beside it. */
    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert could not be written as JSON", e);
        }
    }

    /** The UTC day of its event time, which names its file under {@code <data>/alerts/}. */
    public String day() {
        return time.substring(0, 10);
    }

    static String pageLink(String server, String title) {
        return server == null || title == null ? null : "https://" + server + "/wiki/" + encode(title.replace(' ', '_'));
    }

    static String historyLink(String server, String title) {
        return server == null || title == null ? null
                : "https://" + server + "/w/index.php?title=" + encode(title.replace(' ', '_')) + "&action=history";
    }

    static String contributionsLink(String server, String user) {
        return server == null || user == null ? null : "https://" + server + "/wiki/Special:Contributions/" + encode(user.replace(' ', '_'));
    }

    static String newPagesLink(String server) {
        return server == null ? null : "https://" + server + "/wiki/Special:NewPages";
    }

    static String describe(String kind, String subject, long count, double baseline, long windowMinutes) {
        return String.format(Locale.ROOT, "%s: %s, %d in %d min (usual %.1f)", kind, subject, count, windowMinutes, baseline);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/").replace("%3A", ":");
    }
}

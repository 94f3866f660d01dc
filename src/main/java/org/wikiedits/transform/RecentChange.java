package org.wikiedits.transform;

import java.time.Instant;

/**
 * One Wikimedia {@code recentchange} event, reduced to the fields the lake and the index use.
 * Every field but {@code eventId} and {@code eventTime} may be {@code null} (absent in the event).
 * Built by {@link RecentChangeReader}; free of any framework so that Camel and Lambda share it.
 */
public record RecentChange(
        String eventId,
        Instant eventTime,
        String domain,
        Long timestamp,
        Long rcId,
        String type,
        String wiki,
        String serverName,
        Integer namespace,
        String title,
        String user,
        Boolean bot,
        Boolean minor,
        Boolean patrolled,
        Integer lengthOld,
        Integer lengthNew,
        Long revisionOld,
        Long revisionNew,
        String logType,
        String logAction,
        String comment) {

    /** Wikimedia injects canary events (meta.domain "canary") to monitor the stream; they are no edits. */
    public boolean isCanary() {
        return "canary".equals(domain);
    }
}

package org.wikiedits.sink.index;

import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index's current failure episode, for {@code /health} and the log: what keeps documents from
 * the index right now, and since when. Warnings come at most once a minute, across episodes too,
 * so that steady overload (a few 429s per batch) does not flood the log.
 */
final class IndexProblem {

    private static final Logger LOG = LoggerFactory.getLogger(IndexSink.class);
    private static final long REPEAT_WARNING_NANOS = Duration.ofMinutes(1).toNanos();

    private volatile String problem;
    private long since;
    private int attempts;
    private boolean episodeWarned;
    private boolean everWarned;
    private long lastWarningAt;

    /** An attempt failed: {@code waiting} documents wait, and the commit tracker stays at {@code watermark}. */
    synchronized void failed(String failure, int waiting, long watermark) {
        long now = System.nanoTime();
        if (problem == null) {
            since = now;
            attempts = 0;
            episodeWarned = false;
        }
        attempts++;
        problem = failure;
        boolean warningDue = !everWarned || now - lastWarningAt >= REPEAT_WARNING_NANOS;
        if (warningDue && !episodeWarned) {
            LOG.warn("Index: {}. Retrying with backoff; the index watermark stays at seq {} until OpenSearch takes "
                    + "the {} waiting documents", failure, watermark, waiting);
        } else if (warningDue) {
            LOG.warn("Index: still failing after {} attempts in {} s: {} ({} documents waiting, watermark at seq {})",
                    attempts, (now - since) / 1_000_000_000L, failure, waiting, watermark);
        } else {
            LOG.debug("Index: attempt {} failed: {}", attempts, failure);
            return;
        }
        episodeWarned = true;
        everWarned = true;
        lastWarningAt = now;
    }

    /** A batch went through: the episode, if any, is over. */
    synchronized void recovered() {
        if (problem != null) {
            long millis = (System.nanoTime() - since) / 1_000_000L;
            if (episodeWarned) {
                LOG.info("Index: OpenSearch took the batch after {} retries in {} ms", attempts, millis);
            } else {
                LOG.debug("Index: OpenSearch took the batch after {} retries in {} ms", attempts, millis);
            }
            problem = null;
        }
    }

    Optional<String> current() {
        return Optional.ofNullable(problem);
    }
}

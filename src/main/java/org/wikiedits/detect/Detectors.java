package org.wikiedits.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.wikiedits.transform.RecentChange;

/**
 * The four detectors over the admitted events (the {@code detectors} route, one consumer of
 * {@code seda:detectors}, so one thread at a time): page surge (edits and creations of one page), revert
 * burst (reverts on one page, {@link RevertSignal}), bot storm (edits of one bot account) and new-page
 * flood (creations on one wiki), silent until their {@link WarmUp} is over. Also counts what they were given and what the full queue dropped.
 */
public final class Detectors {

    private final RateDetector pageSurge;
    private final RateDetector revertBurst;
    private final RateDetector botStorm;
    private final RateDetector newPageFlood;
    private final RevertSignal reverts = new RevertSignal();
    private final WarmUp warmUp;
    private final AtomicLong observed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong alerts = new AtomicLong();

    public Detectors(DetectorSettings settings) {
        warmUp = new WarmUp(settings.warmUp());
        pageSurge = new RateDetector(DetectorSettings.PAGE_SURGE, settings.pageSurge(), settings, warmUp);
        revertBurst = new RateDetector(DetectorSettings.REVERT_BURST, settings.revertBurst(), settings, warmUp);
        botStorm = new RateDetector(DetectorSettings.BOT_STORM, settings.botStorm(), settings, warmUp);
        newPageFlood = new RateDetector(DetectorSettings.NEW_PAGE_FLOOD, settings.newPageFlood(), settings, warmUp);
    }

    /** The alerts this event raises (usually none), in the order of the detectors. */
    public synchronized List<Alert> observe(RecentChange rc) {
        observed.incrementAndGet();
        warmUp.observe(rc.eventTime());
        List<Alert> raised = new ArrayList<>(0);
        boolean onPage = rc.title() != null && rc.wiki() != null && ("edit".equals(rc.type()) || "new".equals(rc.type()));
        if (onPage) {
            pageSurge.observe(rc, Subject.page(rc)).ifPresent(raised::add);
        }
        if (onPage && reverts.isRevert(rc)) {
            revertBurst.observe(rc, Subject.page(rc)).ifPresent(raised::add);
        }
        if (Boolean.TRUE.equals(rc.bot()) && rc.user() != null) {
            botStorm.observe(rc, Subject.user(rc)).ifPresent(raised::add);
        }
        if ("new".equals(rc.type()) && rc.wiki() != null) {
            newPageFlood.observe(rc, Subject.wiki(rc)).ifPresent(raised::add);
        }
        alerts.addAndGet(raised.size());
        return raised;
    }

    /** The detector queue was full: this event was not given to the detectors (the sinks still have it). */
    public void dropped() {
        dropped.incrementAndGet();
    }

    public long observedCount() {
        return observed.get();
    }

    public long droppedCount() {
        return dropped.get();
    }

    public long alertCount() {
        return alerts.get();
    }

    /** The memory of all sketches: fixed by the settings, whatever the number of pages, users or wikis. */
    public synchronized long sketchBytes() {
        return pageSurge.sketchBytes() + revertBurst.sketchBytes() + botStorm.sketchBytes() + newPageFlood.sketchBytes();
    }

    /** The most subjects any of the bounded maps holds (at most {@link RateDetector#SUBJECTS_REMEMBERED}). */
    public synchronized int subjectsHeld() {
        return Math.max(Math.max(pageSurge.subjectsHeld(), revertBurst.subjectsHeld()),
                Math.max(Math.max(botStorm.subjectsHeld(), newPageFlood.subjectsHeld()), reverts.pagesHeld()));
    }
}

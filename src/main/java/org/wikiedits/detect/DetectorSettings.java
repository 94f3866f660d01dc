package org.wikiedits.detect;

import java.time.Duration;
import org.wikiedits.config.SettingValues;

/**
 * The detectors' settings ({@code wikiedits.detectors.*}, {@code wikiedits.alerts.cooldown-minutes}): the
 * window and baseline of event time every detector counts over, the sketches' width (their memory), the
 * cool-down between two alerts on one subject, and each detector's limits.
 *
 * @param window      the sliding window a count covers
 * @param baseline    the time before the window whose average per window is the subject's usual count
 * @param warmUp      no alert until the baseline covers this much watched event time ({@link WarmUp}); 0: none
 * @param sketchWidth counters per sketch row: more is more exact and takes more memory
 * @param cooldown    no second alert on a subject within this much event time (and no second webhook call)
 */
public record DetectorSettings(Duration window, Duration baseline, Duration warmUp, int sketchWidth, Duration cooldown,
                               Limits pageSurge, Limits revertBurst, Limits botStorm, Limits newPageFlood) {

    public static final String PREFIX = "wikiedits.detectors.";
    public static final String COOLDOWN = "wikiedits.alerts.cooldown-minutes";
    /** The detectors, by the name of their settings and their alerts' {@code kind}. */
    public static final String PAGE_SURGE = "page-surge";
    public static final String REVERT_BURST = "revert-burst";
    public static final String BOT_STORM = "bot-storm";
    public static final String NEW_PAGE_FLOOD = "new-page-flood";

    /**
     * An alert needs both: at least {@code minEvents} in the window, and at least {@code factor} times the
     * subject's baseline.
     */
    public record Limits(long minEvents, long factor) {
    }

    public static DetectorSettings read(SettingValues settings) {
        return new DetectorSettings(Duration.ofMinutes(settings.positive(PREFIX + "window-minutes")),
                Duration.ofMinutes(settings.positive(PREFIX + "baseline-minutes")),
                Duration.ofMinutes(Math.max(0, settings.number(PREFIX + "warm-up-minutes"))),
                (int) Math.min(1 << 20, Math.max(16, settings.positive(PREFIX + "sketch-width"))),
                Duration.ofMinutes(settings.positive(COOLDOWN)),
                limits(settings, PAGE_SURGE), limits(settings, REVERT_BURST), limits(settings, BOT_STORM),
                limits(settings, NEW_PAGE_FLOOD));
    }

    private static Limits limits(SettingValues settings, String detector) {
        return new Limits(settings.positive(PREFIX + detector + ".min-events"), settings.positive(PREFIX + detector + ".factor"));
    }
}

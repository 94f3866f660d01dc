package org.wikiedits.config;

import java.time.Duration;

/**
 * A duration as people read it in logs and health reasons: {@code 250ms}, {@code 1.5s}, {@code 12s},
 * {@code 1m 30s}, {@code 1h 47m}, {@code 74d 3h}. Two units at most, the smaller dropped when zero,
 * every part rounded down; tenths of a second only below 10 s, where they still matter.
 */
public final class HumanDuration {

    private HumanDuration() {
    }

    public static String format(Duration duration) {
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + "ms";
        }
        if (millis < 10_000) {
            long tenths = millis / 100;
            return tenths % 10 == 0 ? tenths / 10 + "s" : tenths / 10 + "." + tenths % 10 + "s";
        }
        if (millis < 60_000) {
            return duration.toSeconds() + "s";
        }
        if (duration.toHours() == 0) {
            return twoUnits(duration.toMinutes(), "m", duration.toSecondsPart(), "s");
        }
        if (duration.toDays() == 0) {
            return twoUnits(duration.toHours(), "h", duration.toMinutesPart(), "m");
        }
        return twoUnits(duration.toDays(), "d", duration.toHoursPart(), "h");
    }

    private static String twoUnits(long large, String largeUnit, long small, String smallUnit) {
        return large + largeUnit + (small == 0 ? "" : " " + small + smallUnit);
    }
}

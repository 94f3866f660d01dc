package org.wikiedits.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wikiedits.config.SettingValues;
import org.wikiedits.config.Settings;
import org.wikiedits.transform.RecentChange;

/**
 * The four detectors with their default settings, on the recorded samples and on the samples with one
 * injected episode each: every episode raises exactly one alert, of the right kind, on the right subject,
 * at the event that took it over the limit.
 */
class DetectorsTest {

    static DetectorSettings defaults() {
        Settings settings = Settings.load();
        return DetectorSettings.read(new SettingValues(key -> settings.asMap().get(key)));
    }

    static List<Alert> run(List<RecentChange> events) {
        Detectors detectors = new Detectors(defaults());
        List<Alert> alerts = new ArrayList<>();
        events.forEach(rc -> alerts.addAll(detectors.observe(rc)));
        return alerts;
    }

    /**
     * What the unmodified samples raise in event-time order: Wikidata's editgroups recording holds a batch
     * of 600 edits by the bot account "Artix Kreiger 2" within 8 minutes on 2018-03-07: a bot storm
     * (docs/detectors.md). In file order (grouped by edit group, not by time) its events come too late for
     * the window, and nothing is raised.
     */
    static final String SAMPLE_BOT_STORM = "0d160866-2229-11e8-9f14-1866da9949ff";

    @Test
    void theRecordedSamplesRaiseOnlyTheDocumentedBotStorm() {
        assertThat(run(InjectedEvents.inTimeOrder(InjectedEvents.samples())))
                .extracting(Alert::kind, Alert::subject, Alert::count, Alert::lastEventId, Alert::time)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bot-storm", "Artix Kreiger 2", 600L, SAMPLE_BOT_STORM,
                        "2018-03-07T17:00:34Z"));
        assertThat(run(InjectedEvents.samples())).as("in file order").isEmpty();
    }

    /** The alerts but the samples' own. */
    static List<Alert> injected(List<Alert> alerts) {
        return alerts.stream().filter(alert -> !alert.lastEventId().equals(SAMPLE_BOT_STORM)).toList();
    }

    @Test
    void aPageSurgeIsDetectedOnceAtItsTwentiethEditOnThePage() {
        List<Alert> alerts = injected(run(InjectedEvents.inTimeOrder(InjectedEvents.samples(),
                InjectedEvents.pageSurge("Breaking news", InjectedEvents.START, 40, Duration.ofSeconds(10)))));

        assertThat(alerts).hasSize(1);
        Alert surge = injected(alerts).get(0);
        assertThat(surge.kind()).isEqualTo("page-surge");
        assertThat(surge.subject()).isEqualTo("enwiki:Breaking news");
        assertThat(surge.page()).isEqualTo("Breaking news");
        assertThat(surge.count()).isEqualTo(20);
        assertThat(surge.id()).isEqualTo("page-surge:enwiki:Breaking news:2026-09-17T04:54:00Z");
        assertThat(surge.baseline()).isZero();
        assertThat(surge.firstEventId()).isEqualTo("surge-1");
        assertThat(surge.lastEventId()).isEqualTo("surge-20");
        assertThat(surge.time()).isEqualTo(InjectedEvents.START.plusSeconds(190).toString());
        assertThat(surge.link()).isEqualTo("https://en.wikipedia.org/wiki/Breaking_news");
        assertThat(surge.historyLink()).isEqualTo("https://en.wikipedia.org/w/index.php?title=Breaking_news&action=history");
        assertThat(surge.text()).contains("page-surge", "enwiki:Breaking news", "20 in 10 min");
    }

    @Test
    void anEventFarOlderThanTheNewestIsNotCounted() {
        // a surge, then a recording of an earlier day: the detectors' "now" is the newest event time, so the earlier
        // day's surge comes too late for the window (docs/detectors.md, "Event time")
        List<Alert> alerts = run(InjectedEvents.inTimeOrder(InjectedEvents.watchedBefore(InjectedEvents.START),
                InjectedEvents.pageSurge("Today", InjectedEvents.START, 25, Duration.ofSeconds(10))));
        List<RecentChange> then = new ArrayList<>(InjectedEvents.watchedBefore(InjectedEvents.START));
        then.addAll(InjectedEvents.pageSurge("Today", InjectedEvents.START, 25, Duration.ofSeconds(10)));
        then.addAll(InjectedEvents.pageSurge("Yesterday", InjectedEvents.START.minus(Duration.ofDays(1)), 25, Duration.ofSeconds(10)));

        assertThat(alerts).hasSize(1);
        assertThat(run(then)).extracting(Alert::subject).containsExactly("enwiki:Today");
    }

    @Test
    void aRevertBurstIsDetectedOnceAtItsFifthRevert() {
        List<Alert> alerts = injected(run(InjectedEvents.inTimeOrder(InjectedEvents.samples(),
                InjectedEvents.revertBurst("Disputed page", InjectedEvents.START, 12))));

        assertThat(alerts).extracting(Alert::kind, Alert::subject, Alert::lastEventId, Alert::firstEventId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("revert-burst", "enwiki:Disputed page", "war-6", "war-2"));
    }

    @Test
    void aBotStormIsDetectedOnceAtTheBotsSixHundredthEditInTheWindow() {
        List<Alert> alerts = injected(run(InjectedEvents.inTimeOrder(InjectedEvents.samples(),
                InjectedEvents.botStorm("FloodBot", InjectedEvents.START, 900, Duration.ofMillis(500)))));

        assertThat(alerts).extracting(Alert::kind, Alert::subject, Alert::user, Alert::count, Alert::lastEventId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bot-storm", "FloodBot", "FloodBot", 600L, "bot-600"));
        assertThat(alerts.get(0).link()).isEqualTo("https://de.wikipedia.org/wiki/Special:Contributions/FloodBot");
    }

    @Test
    void aNewPageFloodIsDetectedOnceAtTheFiftiethCreation() {
        List<Alert> alerts = injected(run(InjectedEvents.inTimeOrder(InjectedEvents.samples(),
                InjectedEvents.newPageFlood("frwiki", InjectedEvents.START, 80, Duration.ofSeconds(5)))));

        assertThat(alerts).extracting(Alert::kind, Alert::subject, Alert::wiki, Alert::lastEventId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("new-page-flood", "frwiki", "frwiki", "new-50"));
    }

    @Test
    void aSubjectAlertsAgainOnlyAfterTheCooldown() {
        // three surges on one page, 20 minutes apart; with factor 1 each would alert, the cool-down (30 min) keeps the second back
        Settings settings = Settings.load().with(Map.of("wikiedits.detectors.page-surge.factor", "1"));
        Detectors detectors = new Detectors(DetectorSettings.read(new SettingValues(key -> settings.asMap().get(key))));
        List<Alert> alerts = new ArrayList<>();
        InjectedEvents.inTimeOrder(InjectedEvents.watchedBefore(InjectedEvents.START),
                InjectedEvents.pageSurge("Recurring", InjectedEvents.START, 40, Duration.ofSeconds(10)),
                InjectedEvents.pageSurge("Recurring", InjectedEvents.START.plus(Duration.ofMinutes(20)), 40, Duration.ofSeconds(10)),
                InjectedEvents.pageSurge("Recurring", InjectedEvents.START.plus(Duration.ofMinutes(40)), 40, Duration.ofSeconds(10)))
                .forEach(rc -> alerts.addAll(detectors.observe(rc)));

        assertThat(alerts).extracting(Alert::subject).containsExactly("enwiki:Recurring", "enwiki:Recurring");
        assertThat(alerts.get(0).time()).isEqualTo(InjectedEvents.START.plusSeconds(190).toString());
        assertThat(Instant.parse(alerts.get(1).time())).isAfter(InjectedEvents.START.plus(Duration.ofMinutes(40)));
        assertThat(alerts.get(1).id()).isNotEqualTo(alerts.get(0).id());
    }

    @Test
    void aPageAtItsUsualHighRateRaisesNoAlert() {
        // a page edited every 20 s for two hours (30 in a window): busy, but that is its usual; then the same rate again
        List<RecentChange> usual = InjectedEvents.pageSurge("Always busy", InjectedEvents.START, 360, Duration.ofSeconds(20));
        Detectors detectors = new Detectors(defaults());
        List<Alert> alerts = new ArrayList<>();
        usual.forEach(rc -> alerts.addAll(detectors.observe(rc)));

        assertThat(alerts).as("learnt during the warm-up, then at its usual rate").isEmpty();
    }

    @Test
    void aFreshDetectorRaisesNoAlertWithinItsWarmUpEvenOnASurge() {
        // no events before the surge: a busy first window is not yet unusual, it is all the detectors know
        assertThat(run(InjectedEvents.pageSurge("Breaking news", InjectedEvents.START, 40, Duration.ofSeconds(10)))).isEmpty();
        assertThat(run(InjectedEvents.inTimeOrder(
                InjectedEvents.pageSurge("Always busy", InjectedEvents.START, 150, Duration.ofSeconds(20)),
                InjectedEvents.botStorm("FloodBot", InjectedEvents.START, 900, Duration.ofMillis(500)),
                InjectedEvents.newPageFlood("frwiki", InjectedEvents.START.plusSeconds(600), 80, Duration.ofSeconds(5)))))
                .as("50 minutes of a busy page, a bot and a wiki").isEmpty();
    }

    @Test
    void aSurgeAfterTheWarmUpIsDetectedOnceWhileTheBusyPageItLearntStaysQuiet() {
        // a page edited every 20 s for two hours from the start, and a surge on another page 90 minutes in
        Instant surgeStart = InjectedEvents.START.plus(Duration.ofMinutes(90));
        List<Alert> alerts = run(InjectedEvents.inTimeOrder(
                InjectedEvents.pageSurge("Always busy", InjectedEvents.START, 360, Duration.ofSeconds(20)),
                InjectedEvents.pageSurge("Breaking news", surgeStart, 40, Duration.ofSeconds(10))));

        assertThat(alerts).extracting(Alert::kind, Alert::subject, Alert::count, Alert::time)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("page-surge", "enwiki:Breaking news", 20L,
                        surgeStart.plusSeconds(190).toString()));
    }

    @Test
    void aWarmUpOfZeroAlertsFromTheFirstWindow() {
        Settings settings = Settings.load().with(Map.of("wikiedits.detectors.warm-up-minutes", "0"));
        Detectors detectors = new Detectors(DetectorSettings.read(new SettingValues(key -> settings.asMap().get(key))));
        List<Alert> alerts = new ArrayList<>();
        InjectedEvents.pageSurge("Breaking news", InjectedEvents.START, 40, Duration.ofSeconds(10))
                .forEach(rc -> alerts.addAll(detectors.observe(rc)));

        assertThat(alerts).extracting(Alert::subject, Alert::lastEventId).containsExactly(
                org.assertj.core.groups.Tuple.tuple("enwiki:Breaking news", "surge-20"));
    }

    @Test
    void aReplayRaisesTheSameAlertsAsTheFirstRun() {
        List<RecentChange> recording = InjectedEvents.inTimeOrder(InjectedEvents.samples(),
                InjectedEvents.pageSurge("Breaking news", InjectedEvents.START, 40, Duration.ofSeconds(10)),
                InjectedEvents.revertBurst("Disputed page", InjectedEvents.START.plusSeconds(600), 12),
                InjectedEvents.botStorm("FloodBot", InjectedEvents.START.plusSeconds(1200), 900, Duration.ofMillis(500)),
                InjectedEvents.newPageFlood("frwiki", InjectedEvents.START.plusSeconds(1800), 80, Duration.ofSeconds(5)));

        List<Alert> first = run(recording);
        assertThat(injected(first)).extracting(Alert::kind).containsExactly("page-surge", "revert-burst", "bot-storm", "new-page-flood");
        assertThat(run(recording)).isEqualTo(first);
    }

    @Test
    void aMillionDistinctPagesKeepTheDetectorsMemoryBounded() {
        Detectors detectors = new Detectors(defaults());
        long sketches = detectors.sketchBytes();
        // 4 detectors x (10 + 60 minutes in slices of 2) x 4 rows x 2048 counters x 4 bytes
        assertThat(sketches).isEqualTo(4L * 35 * 4 * 2048 * 4);

        Instant start = InjectedEvents.START;
        for (int n = 0; n < 1_000_000; n++) {
            // a million pages, by a million users, half of them bots, a quarter creations, on 1000 wikis
            detectors.observe(InjectedEvents.event("e" + n, start.plusMillis(n * 5L), n % 4 == 0 ? "new" : "edit", "wiki" + n % 1000,
                    "Page " + n, "User " + n, n % 2 == 0, n, n + 1, n % 3 == 0 ? "rv" : "edit"));
        }

        assertThat(detectors.observedCount()).isEqualTo(1_000_000);
        assertThat(detectors.sketchBytes()).as("the sketches, after a million pages").isEqualTo(sketches);
        assertThat(detectors.subjectsHeld()).as("the most subjects one bounded map holds")
                .isEqualTo(RateDetector.SUBJECTS_REMEMBERED);
    }

    @Test
    void theSettingsNameEveryLimit() {
        DetectorSettings settings = DetectorSettings.read(new SettingValues(key -> Map.of(
                "wikiedits.detectors.window-minutes", "5", "wikiedits.detectors.baseline-minutes", "30",
                "wikiedits.detectors.sketch-width", "64", "wikiedits.alerts.cooldown-minutes", "15").getOrDefault(key, "7")));

        assertThat(settings.window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.warmUp()).isEqualTo(Duration.ofMinutes(7));
        assertThat(settings.cooldown()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.sketchWidth()).isEqualTo(64);
        assertThat(settings.botStorm()).isEqualTo(new DetectorSettings.Limits(7, 7));
    }
}

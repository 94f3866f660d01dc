package org.wikiedits.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.wikiedits.bench.EndToEndBench.Result;
import org.wikiedits.bench.EndToEndBench.Run;
import org.wikiedits.bench.RawBulk.Rate;

/** The end-to-end benchmark's report, in markdown, with the targets as ratios measured in the same run. */
final class EndToEndReport {

    static final long RSS_ANON_TARGET_KB = (long) (1.1 * 1024 * 1024);
    static final long LIVE_SEARCHABLE_P99_TARGET_MILLIS = 1500;
    /** The period of the lake-roll timer, which checks whether a file is due. */
    static final long ROLL_TICK_MILLIS = 1000;

    private EndToEndReport() {
    }

    static String markdown(Result result) {
        StringBuilder text = new StringBuilder();
        line(text, "# End-to-end benchmark, %s", Instant.now().truncatedTo(ChronoUnit.SECONDS));
        line(text, "");
        line(text, "Machine: %s. The app: `java -Xmx1g -jar %s`%s.", result.machine(), result.options().jar(),
                result.options().appSettings().isEmpty() ? "" : " with " + result.options().appSettings());
        line(text, "Events: %,d unique generated events (about one in 250 a canary, dropped), then %,d at %d/s for the live pace.",
                result.options().events(), result.options().liveEvents(), result.options().liveRate());
        line(text, "");
        line(text, "## Limits");
        line(text, "");
        line(text, "Raw `_bulk` of the same search documents into the app's embedded node (same template), while the SSE test server "
                + "streams to a plain client: %,d documents per pair.", result.bulk().get(0).documents());
        line(text, "");
        line(text, "| documents a request | client threads | documents/s |");
        line(text, "|---:|---:|---:|");
        for (Rate rate : result.bulk()) {
            line(text, "| %d | %d | %,.0f |", rate.bulkSize(), rate.threads(), rate.docsPerSecond());
        }
        Rate best = result.bestBulk();
        line(text, "");
        line(text, "- best raw `_bulk`: **%,.0f documents/s** (%d a request, %d threads)", best.docsPerSecond(), best.bulkSize(), best.threads());
        line(text, "- plain SSE client drain: **%,.0f events/s** (%,d events)", result.drainPerSecond(), result.drainedEvents());
        line(text, "");
        line(text, "## Runs of the jar");
        line(text, "");
        line(text, "Sustained: events the app read per second between 10%% and 90%% of the run (it reads only as fast as its "
                + "slowest sink takes them). Every sink: from the first event sent to the checkpoint past the last (includes the "
                + "last lake roll). Latencies from the server's write of an event to its first sight in a `_search` (polled every %d ms) "
                + "or in a committed lake file (polled every %d ms), for about 2,000 sampled events. CPU from `/proc`, split by "
                + "thread name: the node (`opensearch[...`), the JVM (GC, JIT), the app (the rest).",
                ArrivalWatch.INDEX_POLL_MILLIS, ArrivalWatch.LAKE_POLL_MILLIS);
        line(text, "");
        line(text, "| run | events | sustained events/s | every sink (s) | receipt → searchable | receipt → lake | peak RSS MiB | peak RssAnon MiB | CPU s per million (app / node / JVM) | index docs / lake rows / distinct (expected) |");
        line(text, "|---|---:|---:|---:|---|---|---:|---:|---|---|");
        for (Run run : result.runs()) {
            row(text, run);
        }
        row(text, result.live());
        line(text, "");
        line(text, "## Targets (ratios in this run)");
        line(text, "");
        Run both = result.run("lake + index");
        Run lake = result.run("lake only");
        double e2eRatio = both.sustainedPerSecond() / best.docsPerSecond();
        double lakeRatio = lake.sustainedPerSecond() / result.drainPerSecond();
        long peakAnon = Math.max(Math.max(both.peakRssAnonKb(), lake.peakRssAnonKb()),
                Math.max(result.run("index only").peakRssAnonKb(), result.live().peakRssAnonKb()));
        String roll = result.options().appSettings().getOrDefault("wikiedits.lake.roll-seconds", "60");
        line(text, "| target | measured | met |");
        line(text, "|---|---|---|");
        target(text, "lake + index ≥ 0.8 of raw `_bulk`", String.format(Locale.ROOT, "%.2f (%,.0f / %,.0f)", e2eRatio,
                both.sustainedPerSecond(), best.docsPerSecond()), e2eRatio >= 0.8);
        target(text, "lake only ≥ 0.5 of the plain client", String.format(Locale.ROOT, "%.2f (%,.0f / %,.0f)", lakeRatio,
                lake.sustainedPerSecond(), result.drainPerSecond()), lakeRatio >= 0.5);
        target(text, "peak RssAnon < 1.1 GiB at -Xmx1g", peakAnon / 1024 + " MiB", peakAnon < RSS_ANON_TARGET_KB);
        target(text, "live p99 receipt → searchable < 1.5 s", result.live().searchable().p99Millis() + " ms",
                result.live().searchable().found() > 0 && result.live().searchable().p99Millis() < LIVE_SEARCHABLE_P99_TARGET_MILLIS);
        // the roll is checked by a timer every second (lake-roll), and the watch polls the lake folder
        long lakeBound = Long.parseLong(roll) * 1000 + ROLL_TICK_MILLIS + ArrivalWatch.LAKE_POLL_MILLIS;
        target(text, "live receipt → lake within the roll interval (" + roll + " s, + 1 s roll tick + poll)",
                "p99 " + result.live().lakeVisible().p99Millis() + " ms, max " + result.live().lakeVisible().maxMillis() + " ms",
                result.live().lakeVisible().found() > 0 && result.live().lakeVisible().p99Millis() <= lakeBound);
        if (result.detectors() != null) {
            detectors(text, result.detectors());
        }
        line(text, "");
        line(text, "Timing figures on a shared machine are noisy: compare ratios within one report, not absolute rates across reports.");
        return text.toString();
    }

    /** The detectors' cost (issue 22): the same lake + index run in two fresh apps, detectors on, then off. */
    private static void detectors(StringBuilder text, EndToEndBench.DetectorsCost cost) {
        line(text, "");
        line(text, "## The detectors' cost");
        line(text, "");
        line(text, "Lake + index, %,d events, in a fresh app with `wikiedits.detectors.enabled=true`, then in another with `false` "
                + "(rows above). The detectors counted %,d events and dropped %,d (their queue full).", cost.on().events(),
                cost.observed(), cost.dropped());
        line(text, "");
        line(text, "| | detectors on | detectors off | on / off |");
        line(text, "|---|---:|---:|---:|");
        line(text, "| sustained events/s | %,.0f | %,.0f | **%.2f** |", cost.on().sustainedPerSecond(), cost.off().sustainedPerSecond(),
                cost.ratio());
        line(text, "| app CPU s per million | %.0f | %.0f | %.2f |", cost.on().cpu().appSeconds() * 1e6 / cost.on().events(),
                cost.off().cpu().appSeconds() * 1e6 / cost.off().events(), cost.on().cpu().appSeconds() / cost.off().cpu().appSeconds());
        line(text, "| peak RssAnon MiB | %d | %d | |", cost.on().peakRssAnonKb() / 1024, cost.off().peakRssAnonKb() / 1024);
    }

    private static void row(StringBuilder text, Run run) {
        line(text, "| %s | %,d | %,.0f | %.1f | %s | %s | %d | %d | %.0f (%.0f / %.0f / %.0f) | %s / %s / %s (%,d) |", run.name(), run.events(),
                run.sustainedPerSecond(), run.everySinkSeconds(), latency(run.searchable()), latency(run.lakeVisible()),
                run.peakRssKb() / 1024, run.peakRssAnonKb() / 1024, run.cpuSecondsPerMillion(),
                run.cpu().appSeconds() * 1e6 / run.events(), run.cpu().nodeSeconds() * 1e6 / run.events(),
                run.cpu().jvmSeconds() * 1e6 / run.events(),
                run.sinks().contains("index") ? String.format(Locale.ROOT, "%,d", run.indexDocuments()) : "-",
                run.sinks().contains("lake") ? String.format(Locale.ROOT, "%,d", run.lakeRows()) : "-",
                run.sinks().contains("lake") ? String.format(Locale.ROOT, "%,d", run.lakeDistinct()) : "-", run.expected());
    }

    private static String latency(ArrivalWatch.Latency latency) {
        return latency == null ? "-" : latency.found() == 0 ? "none seen"
                : String.format(Locale.ROOT, "p50 %,d ms, p99 %,d ms", latency.p50Millis(), latency.p99Millis());
    }

    private static void target(StringBuilder text, String target, String measured, boolean met) {
        line(text, "| %s | %s | %s |", target, measured, met ? "yes" : "**no**");
    }

    private static void line(StringBuilder text, String format, Object... args) {
        text.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}

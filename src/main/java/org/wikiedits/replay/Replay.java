package org.wikiedits.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends the selected letters to each sink that never got them: transformed by the sink's own step,
 * each {@code meta.id} once (letters of the same event go out as one), and marks in the ledger each
 * letter a sink acknowledged. A letter already marked for a sink is left alone. Prints a line per
 * letter: {@code sent}, {@code failed} (with why: it stays unmarked) or, with {@code --dry-run},
 * {@code would send}.
 */
final class Replay {

    /** Which letters: set aside at or after {@code since}, with a reason containing {@code reason} (null: any). */
    record Selection(Instant since, String reason) {

        boolean matches(Letter letter) {
            return (since == null || letter.receivedAt() != null && !letter.receivedAt().isBefore(since))
                    && (reason == null || letter.reason().toLowerCase(Locale.ROOT).contains(reason.toLowerCase(Locale.ROOT)));
        }
    }

    /** What a replay did, summed over the sinks. */
    record Report(int sent, int failed, int alreadyReplayed, int wouldSend) {

        Report plus(Report other) {
            return new Report(sent + other.sent, failed + other.failed, alreadyReplayed + other.alreadyReplayed,
                    wouldSend + other.wouldSend);
        }
    }

    private final ReplayLedger ledger;
    private final boolean dryRun;
    private final PrintStream out;
    private final Clock clock;

    Replay(ReplayLedger ledger, boolean dryRun, PrintStream out, Clock clock) {
        this.ledger = ledger;
        this.dryRun = dryRun;
        this.out = out;
        this.clock = clock;
    }

    /** Replays the letters {@code selection} picks that {@code sink} never got. */
    <T> Report replay(List<Letter> letters, Selection selection, ReplaySink<T> sink) throws IOException, InterruptedException {
        Map<String, T> items = new LinkedHashMap<>();
        Map<String, List<Letter>> lettersById = new LinkedHashMap<>();
        int failed = 0;
        int already = 0;
        for (Letter letter : letters) {
            if (!selection.matches(letter) || !letter.sinks().contains(sink.name())) {
                continue;
            }
            if (ledger.replayed(letter.key(), sink.name())) {
                already++;
                continue;
            }
            T item;
            try {
                item = sink.prepare(letter);
            } catch (Exception e) {
                print("failed", sink, "-", letter, "cannot read the event: " + e.getMessage());
                failed++;
                continue;
            }
            String id = sink.id(item);
            items.putIfAbsent(id, item);
            lettersById.computeIfAbsent(id, first -> new ArrayList<>()).add(letter);
        }
        if (dryRun) {
            lettersById.forEach((id, each) -> each.forEach(letter -> print("would send", sink, id, letter, "")));
            return new Report(0, failed, already, lettersById.values().stream().mapToInt(List::size).sum());
        }
        Map<String, String> failures = items.isEmpty() ? Map.of() : sink.send(new ArrayList<>(items.values()));
        int sent = 0;
        for (Map.Entry<String, List<Letter>> entry : lettersById.entrySet()) {
            String why = failures.get(entry.getKey());
            for (Letter letter : entry.getValue()) {
                if (why == null) {
                    ledger.mark(letter.key(), sink.name(), entry.getKey(), clock.instant());
                    print("sent", sink, entry.getKey(), letter, "");
                    sent++;
                } else {
                    print("failed", sink, entry.getKey(), letter, why);
                    failed++;
                }
            }
        }
        return new Report(sent, failed, already, 0);
    }

    private void print(String what, ReplaySink<?> sink, String id, Letter letter, String why) {
        out.printf("%-10s %-5s %-36s %s%s%n", what, sink.name(), id, letter.key(), why.isEmpty() ? "" : "  " + why);
    }
}

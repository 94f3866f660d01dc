package org.wikiedits.sink.lake;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import org.wikiedits.source.generator.SyntheticEvents;

/**
 * A report, not a test: the heap that the lake writer's dedupe window retains when it is full,
 * 48 hourly partitions at the live rate (about 115,000 events an hour, 5.5 million ids, taken from
 * the generator's {@code meta.id}s), held as {@link EventIdSet}s and, for comparison, as
 * {@code HashSet<String>}s. The heap is measured after full collections, so it is what the sets
 * keep alive, not what building them allocated. Run it after {@code ./mvnw test-compile}:
 * <pre>
 * ./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx2g -cp target/classes:target/test-classes:$(cat target/cp.txt) org.wikiedits.sink.lake.DedupeMemoryReport [hours] [ids-an-hour]
 * </pre>
 */
public final class DedupeMemoryReport {

    private DedupeMemoryReport() {
    }

    public static void main(String[] args) {
        int hours = args.length > 0 ? Integer.parseInt(args[0]) : 48;
        int perHour = args.length > 1 ? Integer.parseInt(args[1]) : 115_000;
        System.out.printf("dedupe window: %d hourly partitions, %,d ids an hour on average (hours vary +-15%%)%n", hours, perHour);
        for (int round = 0; round < 2; round++) { // the second round runs on a warmed-up, settled heap
            report("EventIdSet", hours, perHour, n -> new EventIdSet(), (set, id) -> set.add(id));
            report("HashSet<String>", hours, perHour, n -> new HashSet<String>(), Set::add);
        }
    }

    private interface Adder<S> {
        boolean add(S set, String id);
    }

    private static <S> void report(String name, int hours, int perHour, IntFunction<S> newSet, Adder<S> adder) {
        long before = settledHeap();
        List<S> window = new ArrayList<>(hours);
        long ids = 0;
        long n = 1;
        for (int hour = 0; hour < hours; hour++) {
            int size = (int) (perHour * (0.85 + 0.3 * ((hour * 7919) % hours) / Math.max(1, hours - 1)));
            S set = newSet.apply(hour);
            for (int i = 0; i < size; i++) {
                adder.add(set, SyntheticEvents.eventId(n++).toString());
            }
            ids += size;
            window.add(set);
        }
        long after = settledHeap();
        long retained = after - before;
        System.out.printf("%-16s %,10d ids  retained %,6.1f MiB  %5.1f bytes an id%n",
                name, ids, retained / 1048576.0, (double) retained / ids);
        if (window.size() != hours) { // also keeps the window reachable until it has been measured
            throw new IllegalStateException("the window was not kept alive");
        }
    }

    /** Used heap after full collections have stopped freeing anything. */
    private static long settledHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }
}

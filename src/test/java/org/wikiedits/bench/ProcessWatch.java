package org.wikiedits.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Watches a process through {@code /proc}: peak {@code VmRSS} and {@code RssAnon} (anonymous memory: heap, stacks,
 * direct buffers; the file-mapped index pages are the difference), and CPU time split by thread name between the
 * embedded OpenSearch node (its threads are named {@code opensearch[...}), the JVM's own threads (GC, JIT
 * compilers) and the app. The process total comes from {@code /proc/PID/stat}, which keeps the time of threads that
 * have ended; the node's and the JVM's from {@code /proc/PID/task/TID/stat}, sampled, so a thread that ended
 * between samples counts up to its last sample; the app's is the rest.
 */
final class ProcessWatch implements AutoCloseable {

    /** CPU seconds between two marks. */
    record CpuSplit(double totalSeconds, double appSeconds, double nodeSeconds, double jvmSeconds) {
    }

    /** A moment: the process total and every thread's time so far, in clock ticks. */
    record Mark(long totalTicks, Map<Integer, Long> nodeTicks, Map<Integer, Long> jvmTicks) {
    }

    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux

    private final long pid;
    private final Thread sampler;
    private final Map<Integer, Long> node = new HashMap<>();
    private final Map<Integer, Long> jvm = new HashMap<>();
    private long peakRssKb;
    private long peakRssAnonKb;
    private volatile boolean closed;

    ProcessWatch(long pid) {
        this.pid = pid;
        this.sampler = new Thread(this::sampleTwiceASecond, "process-watch-" + pid);
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sampleTwiceASecond() {
        while (!closed) {
            sample();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads memory and thread times now. */
    synchronized void sample() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    peakRssKb = Math.max(peakRssKb, kb(line));
                } else if (line.startsWith("RssAnon:")) {
                    peakRssAnonKb = Math.max(peakRssAnonKb, kb(line));
                }
            }
            try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
                for (Path task : tasks.toList()) {
                    threadTime(task);
                }
            }
        } catch (IOException e) {
            // the process has ended
        }
    }

    private void threadTime(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            int tid = Integer.parseInt(task.getFileName().toString());
            long ticks = ticks(stat);
            if (name.startsWith("opensearch[")) {
                node.put(tid, ticks);
            } else if (isJvmThread(name)) {
                jvm.put(tid, ticks);
            }
        } catch (IOException | RuntimeException e) {
            // the thread has just ended
        }
    }

    /** The JVM's own threads (names as {@code /proc} shows them: at most 15 characters). */
    static boolean isJvmThread(String name) {
        return name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("C1 CompilerThre")
                || name.startsWith("C2 CompilerThre") || name.startsWith("VM Thread") || name.startsWith("VM Periodic")
                || name.startsWith("Sweeper") || name.startsWith("Service Thread") || name.startsWith("Monitor Deflati")
                || name.startsWith("Common-Cleaner") || name.startsWith("Reference Handl") || name.startsWith("Finalizer")
                || name.startsWith("Signal Dispatch") || name.startsWith("Notification Th");
    }

    /** utime + stime of a {@code stat} line (fields 14 and 15; the name in parentheses may hold spaces). */
    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("\\D", ""));
    }

    synchronized Mark mark() throws IOException {
        sample();
        long total = ticks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
        return new Mark(total, Map.copyOf(node), Map.copyOf(jvm));
    }

    static CpuSplit between(Mark from, Mark to) {
        double total = (to.totalTicks() - from.totalTicks()) / TICKS_PER_SECOND;
        double node = delta(from.nodeTicks(), to.nodeTicks()) / TICKS_PER_SECOND;
        double jvm = delta(from.jvmTicks(), to.jvmTicks()) / TICKS_PER_SECOND;
        return new CpuSplit(total, Math.max(0, total - node - jvm), node, jvm);
    }

    private static long delta(Map<Integer, Long> from, Map<Integer, Long> to) {
        long sum = 0;
        for (Map.Entry<Integer, Long> thread : to.entrySet()) {
            sum += thread.getValue() - from.getOrDefault(thread.getKey(), 0L);
        }
        return sum;
    }

    /** Peak resident and anonymous resident memory since the last reset, in KiB. */
    synchronized long[] peaksKbAndReset() {
        long[] peaks = {peakRssKb, peakRssAnonKb};
        peakRssKb = 0;
        peakRssAnonKb = 0;
        return peaks;
    }

    @Override
    public void close() {
        closed = true;
        sampler.interrupt();
    }
}

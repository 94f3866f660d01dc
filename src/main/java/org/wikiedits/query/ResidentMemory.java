package org.wikiedits.query;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A process's resident memory as Linux counts it, from {@code /proc/<pid>/status}: {@code VmHWM},
 * the kernel's own high-water mark of the resident set (heap, native allocations, mapped code:
 * everything), so a spike between two readings is not missed. Empty where there is no such file
 * (not Linux, or the process has ended).
 */
final class ResidentMemory {

    private ResidentMemory() {
    }

    /** The highest resident set size the process has had so far, in KiB. */
    static OptionalLong peakKib(long pid) {
        return field(Path.of("/proc", Long.toString(pid), "status"), "VmHWM:");
    }

    /** The same for this process. */
    static OptionalLong ownPeakKib() {
        return field(Path.of("/proc/self/status"), "VmHWM:");
    }

    private static OptionalLong field(Path status, String name) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(name)) { // "VmHWM:	  182044 kB"
                    return OptionalLong.of(Long.parseLong(line.substring(name.length()).replace("kB", "").strip()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone: nothing to read
        }
        return OptionalLong.empty();
    }
}

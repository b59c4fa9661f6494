package dev.bantam.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from /proc/self/status (Linux); -1 where that is not available. */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Current resident set size in bytes. */
    public static long residentBytes() {
        return field("VmRSS");
    }

    /** Peak resident set size in bytes since the process started. */
    public static long peakResidentBytes() {
        return field("VmHWM");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}

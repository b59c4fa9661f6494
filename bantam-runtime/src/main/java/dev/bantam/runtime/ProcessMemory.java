package dev.bantam.runtime;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from /proc/self/status (Linux); -1 where that is not available. */
public final class ProcessMemory {

    /** glibc's malloc_trim, when native access is enabled and the C library has it; else null. */
    private static final MethodHandle TRIM = handle("malloc_trim",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    /** glibc's mallinfo2: ten size_t counters of the C heap. */
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            java.util.stream.IntStream.range(0, 10).mapToObj(i -> ValueLayout.JAVA_LONG.withName("f" + i))
                    .toArray(MemoryLayout[]::new));
    private static final MethodHandle MALLINFO = handle("mallinfo2", FunctionDescriptor.of(MALLINFO2));

    private ProcessMemory() {
    }

    /**
     * Returns the C heap's free memory to the system (glibc's {@code malloc_trim(0)}), so that a resident-size
     * difference measured next counts what was allocated, not the reuse of what earlier work freed: without it a
     * second session of the same model measured 0.6 MiB against the first's 45. A no-op where unavailable.
     */
    public static void releaseFreeMemory() {
        if (TRIM != null) {
            try {
                int ignored = (int) TRIM.invokeExact(0L);
            } catch (Throwable e) {
                // measuring is best effort
            }
        }
    }

    /**
     * Lets memory that is already garbage go before a measurement: native memory held by unreachable Java objects
     * (auto arenas, tensors of earlier work) is freed by a cleaner thread after a collection, and a free landing
     * between two readings would be charged to whatever they measure. Collects, then waits (up to half a second)
     * until the C heap's count holds still for two readings 20 ms apart. Best effort, for measurements only.
     */
    public static void settle() {
        System.gc();
        long last = mallocBytes();
        for (int i = 0; i < 25 && last >= 0; i++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = mallocBytes();
            if (now == last) {
                return;
            }
            last = now;
        }
    }

    /**
     * Bytes the C heap has handed out and not taken back (glibc's mallinfo2: {@code uordblks + hblkhd}), or -1 where
     * that is unavailable. Unlike resident sizes it is exact and counts neither the Java heap nor thread stacks nor
     * mapped files: the memory native libraries such as ONNX Runtime hold.
     */
    public static long mallocBytes() {
        if (MALLINFO == null) {
            return -1;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO.invokeExact((SegmentAllocator) arena);
            return info.get(ValueLayout.JAVA_LONG, 7 * 8L) + info.get(ValueLayout.JAVA_LONG, 4 * 8L);
        } catch (Throwable e) {
            return -1;
        }
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        try {
            if (!ProcessMemory.class.getModule().isNativeAccessEnabled()) {
                return null;
            }
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find(name).map(a -> linker.downcallHandle(a, descriptor)).orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Current resident set size in bytes. */
    public static long residentBytes() {
        return field("VmRSS");
    }

    /**
     * Resident anonymous memory in bytes (the C and Java heaps, arenas, stacks), without the file-backed pages of
     * loaded libraries and mapped files: the first session in a process pages in some 20 MiB of ONNX Runtime's
     * code, which is not that session's memory.
     */
    public static long anonymousBytes() {
        return field("RssAnon");
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

package dev.bantam.runtime.isolate;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/** A child for {@link ChildJvmTest}: prints, then exits with a code, raises a signal in native code, or aborts. */
public final class CrashingMain {

    private CrashingMain() {
    }

    public static void main(String[] args) throws Throwable {
        System.out.println("child says hello");
        System.out.print("a line the crash interrupts #");
        System.out.flush();
        Files.writeString(Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "left-", ".tmp"), "x");
        Linker linker = Linker.nativeLinker();
        switch (args[0]) {
            case "exit" -> System.exit(Integer.parseInt(args[1]));
            case "raise" -> linker.downcallHandle(linker.defaultLookup().find("raise").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT)).invoke(Integer.parseInt(args[1]));
            case "abort" -> linker.downcallHandle(linker.defaultLookup().find("abort").orElseThrow(),
                    FunctionDescriptor.ofVoid()).invoke();
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(3);
    }
}

package dev.bantam.runtime.isolate;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts another JVM like the current one: the same {@code java}, class path and JVM options
 * (heap, GC, native access, system properties), without those that must not be repeated in a second process.
 */
public final class JvmCommand {

    private JvmCommand() {
    }

    /** The {@code java} executable running this JVM. */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public static String classPath() {
        return System.getProperty("java.class.path");
    }

    /**
     * This JVM's options, less a debugger agent (its port is taken), and less the temporary folder and crash-report
     * options a child gets its own of; native access for unnamed modules is added when missing, since a launch
     * with {@code -jar} may have had it from the jar's manifest.
     */
    public static List<String> inheritedOptions() {
        List<String> options = new ArrayList<>();
        boolean nativeAccess = false;
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-agentlib:jdwp") || a.startsWith("-Xrunjdwp") || a.startsWith("-Djava.io.tmpdir=")
                    || a.startsWith("-XX:ErrorFile=") || a.contains("CreateCoredumpOnCrash")
                    || a.startsWith("-Dsun.java.command=") || a.startsWith("-Dsun.java.launcher")) {
                continue;
            }
            nativeAccess |= a.startsWith("--enable-native-access");
            options.add(a);
        }
        if (!nativeAccess) {
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        return options;
    }
}

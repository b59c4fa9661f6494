package dev.bantam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bantam.runtime.isolate.JvmCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs one benchmark phase in a fresh JVM with a capped heap and reads back its JSON line. Unlike
 * {@code ChildJvm}, it sets the child's options itself (the heap cap is what it measures) and reads its stdout.
 */
final class Child {

    private Child() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> run(String phase, Path model, Path out, long heapCap) throws IOException, InterruptedException {
        List<String> cmd = List.of(JvmCommand.javaExecutable(), "-Xmx" + (heapCap >> 20) + "m", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "-cp", JvmCommand.classPath(),
                IoBenchmark.class.getName(), "--child", phase, model.toString(), out.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(phase + " of " + model + " failed with heap capped at "
                    + (heapCap >> 20) + " MiB");
        }
        Map<String, Object> r = new ObjectMapper().readValue(stdout.lines().reduce((a, b) -> b).orElseThrow(), Map.class);
        r.put("heapCapBytes", heapCap);
        return r;
    }
}

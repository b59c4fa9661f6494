package dev.bantam.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bantam.onnx.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library example of the README and docs/LIBRARY.md ({@code examples/StaticInt8.java}) compiles against
 * Bantam's jars, runs, and writes the same bytes as the CLI given the same settings; the docs show it as it
 * is in the file.
 */
class LibraryExampleTest {

    @TempDir
    Path dir;

    static final Path EXAMPLE = TestData.repoFile("examples/StaticInt8.java");

    @Test
    void compilesRunsAndMatchesTheCli() throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path classes = Files.createDirectories(dir.resolve("classes"));
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null, List.of("-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), "-Xlint:all", "-Werror"), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(EXAMPLE)).call();
        assertTrue(compiled, diagnostics.toString());

        String sample = TestData.repoModel("fmnist/sample").toString();
        String calibration = "fmnist:" + sample + ",split=train,limit=200";
        String model = TestData.repoModel("fmnist/resnet.onnx").toString(); // int8 clearly faster: the speed guard keeps it
        Path library = dir.resolve("library.onnx");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            Method main = loader.loadClass("StaticInt8").getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[] {model, library.toString(), calibration, "fmnist:" + sample});
        } finally {
            System.setOut(stdout);
        }
        String line = printed.toString(StandardCharsets.UTF_8);
        assertTrue(line.matches("(?s)weights .* bytes; top-1 \\d+\\.\\d\\d% -> \\d+\\.\\d\\d%; mean cosine 0\\.9\\d+\\s*"), line);

        // the recipe the library's model records (the speed guard's timed decisions fixed in it) replayed by the CLI
        Path cli = dir.resolve("cli.onnx");
        CliTest.Run r = CliTest.bantam("compress", model, "-o", cli.toString(), "--recipe-from", library.toString(),
                "--eval-data", "fmnist:" + sample, "--quiet");
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Files.readAllBytes(cli), Files.readAllBytes(library), "library and CLI write the same bytes");
    }

    @Test
    void theDocsShowTheExampleAsItIs() throws Exception {
        String example = Files.readString(EXAMPLE);
        String body = example.substring(example.indexOf("public final class StaticInt8"));
        String docs = Files.readString(TestData.repoFile("docs/LIBRARY.md"));
        assertTrue(docs.contains(body.strip()), "docs/LIBRARY.md shows examples/StaticInt8.java's class as it is");
        long userLines = body.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.equals("}")
                && !l.startsWith("public ") && !l.startsWith("//")).count();
        assertTrue(userLines <= 15, "the example takes " + userLines + " lines of user code");
    }
}

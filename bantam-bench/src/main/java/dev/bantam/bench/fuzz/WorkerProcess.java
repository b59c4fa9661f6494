package dev.bantam.bench.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a range of cases in worker JVMs ({@link FuzzWorker}) with a bounded heap. A command of a case that runs past
 * the time limit is a hang and a worker that dies is a crash: either way the case is recorded and a new worker goes on
 * from the next case.
 */
final class WorkerProcess {

    record Outcome(List<Finding> findings, long cases, long caseMillis) {
    }

    private static final String EOF = "\u0000eof";

    /** The run limit of the commands a case runs: a few of them fit in the case's time limit. */
    static final String RUN_LIMIT = "5s";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CampaignConfig config;
    private Path stderr;
    /** Lines a worker printed outside the protocol: the JVM's fatal-error summary goes to stdout. */
    private final List<String> otherOutput = java.util.Collections.synchronizedList(new ArrayList<>());

    WorkerProcess(CampaignConfig config) {
        this.config = config;
    }

    Outcome run(String kind, long from, long to) throws IOException, InterruptedException {
        List<Finding> findings = new ArrayList<>();
        long cases = 0;
        long millis = 0;
        long next = from;
        int startsWithoutProgress = 0;
        while (next < to) {
            long startedAt = next;
            Process p = start(kind, next, to);
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = Thread.ofPlatform().daemon().start(() -> read(p, lines));
            long current = -1;
            long started = 0;
            String phase = "start";
            boolean progressed = false;
            while (true) {
                String line = lines.poll(500, TimeUnit.MILLISECONDS);
                long now = System.nanoTime();
                if (line == null) {
                    if (current >= 0 && now - started > config.caseTimeoutSeconds() * 1_000_000_000L) {
                        kill(p);
                        findings.add(Finding.of(kind, seedOf(kind, current), phase, Finding.Problem.HANG,
                                "no result after " + config.caseTimeoutSeconds() + " s (case " + current + ")"));
                        cases++;
                        next = current + 1;
                        break;
                    }
                    continue;
                }
                if (line.equals(EOF)) {
                    int code = p.waitFor();
                    if (current >= 0) {
                        findings.add(Finding.of(kind, seedOf(kind, current), phase, Finding.Problem.CRASH,
                                "worker exited with " + code + ": " + crashLine(p.pid())));
                        cases++;
                        next = current + 1;
                    } else {
                        next = to;
                    }
                    break;
                }
                if (!line.startsWith("@@")) {
                    otherOutput.add(line);
                } else if (line.startsWith("@@S ")) {
                    current = Long.parseLong(line.substring(4));
                    started = now;
                    phase = "start";
                    progressed = true;
                } else if (line.startsWith("@@P ")) {
                    phase = line.substring(line.indexOf(' ', 4) + 1);
                    started = now; // the limit is per command: a case runs several
                } else if (line.startsWith("@@F ")) {
                    findings.add(JSON.readValue(line.substring(4), Finding.class));
                } else if (line.startsWith("@@D ")) {
                    String[] parts = line.split(" ");
                    millis += Long.parseLong(parts[2]);
                    cases++;
                    current = -1;
                }
            }
            reader.join(1000);
            FileHashes.deleteTree(config.work().resolve("w-" + kind + "-" + startedAt));
            startsWithoutProgress = progressed ? 0 : startsWithoutProgress + 1;
            if (startsWithoutProgress >= 2) {
                throw new IllegalStateException("fuzz worker fails to start: " + crashLine(-1) + " (" + stderr + ")");
            }
        }
        return new Outcome(findings, cases, millis);
    }

    private long seedOf(String kind, long index) throws IOException {
        return kind.equals("corpus") ? Corpus.entries(config.corpus()).get((int) index).seed()
                : Rng.caseSeed(config.seed(), index);
    }

    private Process start(String kind, long from, long to) throws IOException {
        stderr = config.work().resolve("w-" + kind + "-" + from + ".err");
        otherOutput.clear();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + config.heapMiB() + "m", "-Xss4m",
                "-XX:+UseSerialGC", "-XX:ErrorFile=" + config.work().resolve("hs_err_%p.log"),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                FuzzWorker.class.getName(), kind, Long.toString(config.seed()), Long.toString(from), Long.toString(to),
                config.work().resolve("w-" + kind + "-" + from).toString()));
        if (config.corpus() != null) {
            cmd.add(config.corpus().toString());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        // a model may loop for hours inside ONNX Runtime; each run is stopped well inside the case's time limit
        pb.environment().put("BANTAM_RUN_LIMIT", RUN_LIMIT);
        return pb.start();
    }

    private static void read(Process p, BlockingQueue<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                lines.add(l);
            }
        } catch (IOException e) {
            // the process was killed
        }
        lines.add(EOF);
    }

    private static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor();
    }

    /**
     * Why a worker died: the native frame and the Java frame that called it from the JVM's fatal-error log, else the
     * most telling line it left on stderr or stdout (a signal, an OutOfMemoryError, a C++ terminate).
     */
    private String crashLine(long pid) throws IOException {
        Path hsErr = config.work().resolve("hs_err_" + pid + ".log");
        if (Files.isRegularFile(hsErr)) {
            List<String> log = Files.readAllLines(hsErr, StandardCharsets.ISO_8859_1);
            String signal = log.stream().filter(l -> l.startsWith("#  SIG")).findFirst().orElse("#  fatal error");
            int frame = log.indexOf("# Problematic frame:");
            String where = frame >= 0 && frame + 1 < log.size() ? log.get(frame + 1).replace("#", "").trim() : "?";
            String caller = log.stream().filter(l -> l.matches("^[jJ] +.*(dev\\.bantam|ai\\.onnxruntime).*"))
                    .map(l -> l.replaceAll("^[jJ] +", "").replaceAll("\\(.*", "")).findFirst().orElse("?");
            return signal.substring(3).replaceAll(" at pc=.*", "") + " in " + where.replaceAll("\\+0x\\w+|[\\[\\]]", "")
                    + " called from " + caller;
        }
        List<String> tail = new ArrayList<>(Files.readAllLines(stderr, StandardCharsets.ISO_8859_1));
        tail = new ArrayList<>(tail.subList(Math.max(0, tail.size() - 200), tail.size()));
        synchronized (otherOutput) {
            tail.addAll(otherOutput);
            otherOutput.clear();
        }
        for (String l : tail) {
            if (l.matches(".*(SIG[A-Z]+|OutOfMemoryError|terminate called|Killed).*")) {
                return l.replace("#", "").trim();
            }
        }
        return tail.stream().filter(l -> !l.startsWith("WARNING")).reduce((a, b) -> b).orElse("(no output)").trim();
    }
}

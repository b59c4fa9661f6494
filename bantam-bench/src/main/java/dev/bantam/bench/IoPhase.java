package dev.bantam.bench;

import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.inspect.ModelSummaries;
import dev.bantam.onnx.io.MappedFile;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.io.SaveOptions;
import dev.bantam.onnx.ir.Model;
import dev.bantam.onnx.ir.Tensor;
import dev.bantam.onnx.ir.TensorData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** One measured phase in a fresh JVM: load, inspect or save one model. Prints one JSON object. */
final class IoPhase {

    private IoPhase() {
    }

    static Map<String, Object> run(String phase, Path model, Path outDir) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        long fileRss0 = ProcessStats.status("RssFile");
        ProcessStats.resetHeapPeaks();
        long t0 = System.nanoTime();
        Model m = ModelIO.load(model);
        long t1 = System.nanoTime();
        r.put("loadMs", (t1 - t0) / 1e6);
        r.put("fileBytesResidentAfterLoad", ProcessStats.status("RssFile") - fileRss0);
        r.put("externalFilesMappedByLoad", m.tensorsRecursive().stream().map(Tensor::data)
                .filter(d -> d instanceof TensorData.External e && ((MappedFile) e.location().source()).isMapped())
                .count());
        switch (phase) {
            case "load" -> r.put("ms", (t1 - t0) / 1e6);
            case "inspect" -> {
                long s = System.nanoTime();
                var report = ModelChecker.check(m);
                ModelSummaries.of(m, Files.size(model), report);
                r.put("ms", (System.nanoTime() - t0) / 1e6);
                r.put("inspectOnlyMs", (System.nanoTime() - s) / 1e6);
            }
            case "save" -> {
                Files.createDirectories(outDir);
                ProcessStats.resetHeapPeaks();
                long s = System.nanoTime();
                ModelIO.save(m, outDir.resolve("saved.onnx"), SaveOptions.keep());
                r.put("ms", (System.nanoTime() - s) / 1e6);
            }
            default -> throw new IllegalArgumentException("unknown phase " + phase);
        }
        r.put("peakHeapBytes", ProcessStats.peakHeap());
        r.put("peakRssBytes", ProcessStats.status("VmHWM"));
        return r;
    }
}

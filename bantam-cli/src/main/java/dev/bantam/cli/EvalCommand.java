package dev.bantam.cli;

import dev.bantam.cli.report.EvalHtml;
import dev.bantam.cli.report.EvalText;
import dev.bantam.runtime.RuntimeOptions;
import dev.bantam.runtime.eval.EvalConfig;
import dev.bantam.runtime.eval.EvalResult;
import dev.bantam.runtime.eval.Evaluator;
import dev.bantam.runtime.eval.Robustness;
import dev.bantam.cli.report.RobustnessText;
import dev.bantam.runtime.eval.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Measure a model on data: task accuracy, fidelity to a reference model, size, latency and an "
                + "energy estimate. Writes JSON and a self-contained HTML report on request.")
final class EvalCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "The model to measure.")
    Path model;

    @Option(names = "--reference", paramLabel = "MODEL", description = "The model to compare with (e.g. the float original).")
    Path reference;

    @Option(names = "--data", required = true, paramLabel = "SPEC", description = "Data: idx:FILE, fmnist[:DIR], "
            + "images:DIR,size=WxH, text:FILE|DIR,tokenizer=FILE, npy:FILE, synthetic:N (see docs/CLI.md).")
    String data;

    @Option(names = "--task", defaultValue = "classify", paramLabel = "TASK",
            description = "classify, embed, raw, sequence (CTC-style [items, positions, classes] scores) or map "
                    + "(dense score maps); sequence and map compare with --reference (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "T",
            description = "For --task map: where a score counts as marked (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--batch", paramLabel = "N", description = "Batch size (default: 32, or the model's fixed batch dimension; 1 with --state).")
    Integer batch;

    @Option(names = "--state", split = ",", paramLabel = "OUT=IN", description = "Stream a recurrent model's state: "
            + "each item's output OUT feeds the next item's input IN (items in order, one per run; the first item's IN "
            + "comes from the data, e.g. input.IN=zeros:2x1x64 in the spec).")
    java.util.LinkedHashMap<String, String> state = new java.util.LinkedHashMap<>();

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads; 0: all cores.")
    int threads;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Write a self-contained HTML report.")
    Path html;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = "--robustness", description = "Then run again under seeded perturbations that fit the inputs "
            + "(noise, brightness/contrast, blur; dropped tokens, misspelled words on text: data) at strengths 1-3 and "
            + "compare each model's task "
            + "metric with its clean value. Needs labeled data.")
    boolean robustness;

    @picocli.CommandLine.Mixin
    VerboseOption verboseOption;

    @Override
    public Integer call() throws Exception {
        Task t = Task.parse(task);
        if (json != null || html != null) {
            OutputGuard guard = new OutputGuard().model(model).read("the reference model", reference).data(data);
            for (Path m : reference == null ? List.of(model) : List.of(model, reference)) {
                if (java.nio.file.Files.isRegularFile(m)) {
                    guard.model(dev.bantam.onnx.io.ModelIO.load(m));
                }
            }
            guard.write("--json", json).write("--html", html).check();
        }
        int b = batch != null ? batch : state.isEmpty() ? 0 : 1; // 0: the evaluator chooses from the model
        EvalConfig c = new EvalConfig(model, reference, data, t, b, RuntimeOptions.threads(threads), 0.7, threshold, state);
        ProgressBar progress = new ProgressBar(spec.commandLine().getErr(), quiet);
        EvalResult r = Evaluator.run(c, progress);
        Robustness.Result rob = robustness ? Robustness.run(c, r, progress) : null;
        spec.commandLine().getOut().print(EvalText.format(r));
        if (rob != null) {
            spec.commandLine().getOut().print(RobustnessText.format(rob));
        }
        if (json != null) {
            OutputFiles.writeAtomically(json, Json.writeWith(r, "robustness", rob));
        }
        if (html != null) {
            OutputFiles.writeAtomically(html, EvalHtml.render(r));
        }
        return 0;
    }
}

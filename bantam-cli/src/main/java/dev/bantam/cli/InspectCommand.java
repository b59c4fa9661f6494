package dev.bantam.cli;

import dev.bantam.onnx.check.CheckReport;
import dev.bantam.onnx.check.Issue;
import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.inspect.ModelSummaries;
import dev.bantam.onnx.inspect.ModelSummary;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.ir.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Describe a model: IR version, opsets, inputs and outputs, operators, parameters, "
                + "largest tensors, quantization, external data. Exits 1 if the checker finds errors.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx file.")
    Path model;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @picocli.CommandLine.Mixin
    VerboseOption verboseOption;

    @Override
    public Integer call() throws Exception {
        Model m = ModelIO.load(model);
        CheckReport report = ModelChecker.check(m);
        ModelSummary s = ModelSummaries.of(m, Files.size(model), report);
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(s));
        } else {
            out.print(SummaryText.format(s));
            for (Issue w : report.warnings()) {
                out.println("warning: " + w);
            }
        }
        report.requireValid();
        return 0;
    }
}

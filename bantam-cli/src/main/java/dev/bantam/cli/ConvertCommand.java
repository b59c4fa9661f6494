package dev.bantam.cli;

import dev.bantam.onnx.check.ModelChecker;
import dev.bantam.onnx.io.ModelIO;
import dev.bantam.onnx.io.SaveOptions;
import dev.bantam.onnx.io.SaveResult;
import dev.bantam.onnx.ir.Model;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Re-save a model, moving weights to or from an external data file. The input is never "
                + "modified; the output is written to a temporary file and renamed into place.")
final class ConvertCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelFiles files;

    @ArgGroup(exclusive = true)
    Placement placement = new Placement();

    static final class Placement {
        @Option(names = "--external-data", paramLabel = "FILE",
                description = "Put weights in FILE, relative to the output's folder.")
        String externalData;

        @Option(names = "--inline", description = "Put all weights inside the model file (under 2 GB only).")
        boolean inline;
    }

    @Option(names = "--size-threshold", paramLabel = "BYTES", defaultValue = "1024",
            description = "With --external-data: weights smaller than this stay inline (default: ${DEFAULT-VALUE}).")
    long sizeThreshold;

    @picocli.CommandLine.Mixin
    VerboseOption verboseOption;

    @Override
    public Integer call() throws Exception {
        SaveOptions options;
        if (placement.inline) {
            options = SaveOptions.inline();
        } else if (placement.externalData != null) {
            options = SaveOptions.external(placement.externalData, sizeThreshold);
        } else {
            options = new SaveOptions(SaveOptions.Mode.KEEP, null, sizeThreshold);
        }
        new OutputGuard().model(files.in).write("-o", files.out).check();
        Model m = ModelIO.load(files.in);
        List<Path> written = ModelIO.filesWritten(m, files.out, options);
        new OutputGuard().model(m).write("-o", files.out)
                .write(placement.externalData != null ? "--external-data" : "-o (its external data)",
                        written.size() > 1 ? written.get(1) : null).check();
        ModelChecker.check(m).requireValid();
        SaveResult r = ModelIO.save(m, files.out, options);
        var o = spec.commandLine().getOut();
        o.println("wrote " + r.model() + " (" + SummaryText.bytes(r.modelBytes()) + ")");
        if (r.externalData() != null) {
            o.println("wrote " + r.externalData() + " (" + SummaryText.bytes(r.externalBytes()) + ", "
                    + r.externalTensors() + " tensors)");
        }
        return 0;
    }
}

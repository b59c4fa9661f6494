package dev.bantam.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model a model-changing command reads and the file it writes: {@code IN -o OUT}. */
final class ModelFiles {

    @Parameters(index = "0", paramLabel = "IN", description = "The input .onnx model.")
    Path in;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The output .onnx file.")
    Path out;
}

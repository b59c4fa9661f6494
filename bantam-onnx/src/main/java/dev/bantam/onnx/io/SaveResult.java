package dev.bantam.onnx.io;

import java.nio.file.Path;

/** What a save wrote: the model file, the external data file if any, and their sizes. */
public record SaveResult(Path model, long modelBytes, Path externalData, long externalBytes,
                         int externalTensors) {
}

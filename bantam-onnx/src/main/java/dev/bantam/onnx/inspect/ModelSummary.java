package dev.bantam.onnx.inspect;

import java.util.List;
import java.util.Map;

/**
 * What {@code bantam inspect} reports about a model: identity, interface, operators, parameters, the
 * largest tensors, quantization and external data. Built by {@link ModelSummaries#of}.
 */
public record ModelSummary(
        String file,
        long fileBytes,
        Long irVersion,
        String producer,
        List<Opset> opsets,
        List<Io> inputs,
        List<Io> outputs,
        int nodeCount,
        int subgraphCount,
        int functionCount,
        Map<String, Integer> opHistogram,
        long parameterCount,
        long parameterBytes,
        List<TypeTotal> parametersByType,
        List<TensorEntry> largestTensors,
        Quantization quantization,
        List<ExternalFile> externalData,
        int checkErrors,
        int checkWarnings) {

    public record Opset(String domain, long version) {
    }

    public record Io(String name, String type) {
    }

    public record TypeTotal(String dataType, long tensors, long parameters, long bytes) {
    }

    /** @param storage "initializer", "Constant node" or "attribute", with " (external)" when external */
    public record TensorEntry(String name, String dataType, List<Long> shape, long bytes, String storage) {
    }

    /**
     * @param scheme one line: "not quantized", or what kind of quantization the operators show
     * @param operators counts of the quantization operators found
     */
    public record Quantization(boolean quantized, String scheme, Map<String, Integer> operators,
                               long lowPrecisionWeightBytes) {
    }

    public record ExternalFile(String location, int tensors, long bytes) {
    }
}

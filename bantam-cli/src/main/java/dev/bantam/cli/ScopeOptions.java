package dev.bantam.cli;

import dev.bantam.compress.NodeScope;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which nodes a model-changing command touches: the options every technique's {@link NodeScope} takes. Left out,
 * each falls back to the technique's default scope.
 */
final class ScopeOptions {

    @Option(names = "--op-types", split = ",", paramLabel = "OP,...",
            description = "Only these operators (default: the command's; docs/CLI.md lists them).")
    List<String> opTypes;

    @Option(names = "--exclude", paramLabel = "REGEX", description = "Leave nodes whose name (for unnamed nodes: "
            + "\"Op producing 'output'\") matches as they are.")
    List<String> exclude = List.of();

    @Option(names = "--exclude-op-types", split = ",", paramLabel = "OP,...", description = "Leave these operators as they are.")
    List<String> excludeOpTypes = List.of();

    @Option(names = "--keep-first-last", description = "Leave the first and last weighted layers as they are.")
    boolean keepFirstLast;

    @Option(names = "--min-weight-size", paramLabel = "N", description = "Leave weights with fewer elements as they are "
            + "(default: quantize dynamic 1024, static 16; share-weights 256; factorize 4096; half-precision 256).")
    Long minWeightSize;

    /** The scope these options give, the technique's {@code defaults} where an option was left out. */
    NodeScope scope(NodeScope defaults) {
        return new NodeScope(opTypes == null ? defaults.opTypes() : opTypes, excludeOpTypes, exclude, keepFirstLast,
                minWeightSize == null ? defaults.minWeightSize() : minWeightSize);
    }
}

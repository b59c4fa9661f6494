package dev.bantam.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bantam.compress.recipe.Mappers;

/**
 * JSON output of the CLI: indented, enums as lower-case labels, map keys sorted so that output is
 * deterministic (the mapper recipes use).
 */
final class Json {

    private Json() {
    }

    static String write(Object value) throws JsonProcessingException {
        return Mappers.pretty().writeValueAsString(value);
    }

    /** {@code value} written as it is, with {@code extra} as one more field {@code name} when it is not null. */
    static String writeWith(Object value, String name, Object extra) throws JsonProcessingException {
        if (extra == null) {
            return write(value);
        }
        com.fasterxml.jackson.databind.node.ObjectNode tree = Mappers.json().valueToTree(value);
        tree.set(name, Mappers.json().valueToTree(extra));
        return write(tree);
    }
}

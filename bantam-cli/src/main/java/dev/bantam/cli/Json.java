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
}

package io.queststream.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * What {@code backbone.json} in an exported model directory (tools/export_reward_model.py) says about the window: the
 * model's own {@code max_sequence_tokens} is the default window, so an exported Llama reward model reads the context
 * it was exported for unless a setting says otherwise.
 */
public final class BackboneDescriptor {

  public static final String FILE = "backbone.json";

  private BackboneDescriptor() {
  }

  /** max_sequence_tokens of the directory's backbone.json; empty when there is none or the model is a file. */
  public static OptionalInt maxSequenceTokens(Path model) {
    Path descriptor = model.resolve(FILE);
    if (!Files.isDirectory(model) || !Files.isRegularFile(descriptor)) {
      return OptionalInt.empty();
    }
    try {
      JsonNode max = new ObjectMapper().readTree(descriptor.toFile()).path("max_sequence_tokens");
      if (max.isMissingNode() || max.isNull()) {
        return OptionalInt.empty();
      }
      if (!max.canConvertToInt() || !max.isIntegralNumber() || max.intValue() < 2) {
        throw new IllegalArgumentException(descriptor + ": max_sequence_tokens must be a whole number of at least 2, "
            + "was " + max);
      }
      return OptionalInt.of(max.intValue());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + descriptor, e);
    }
  }
}

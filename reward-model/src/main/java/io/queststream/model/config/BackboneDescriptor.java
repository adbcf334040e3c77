package io.queststream.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code backbone.json} in an exported model directory (tools/export_reward_model.py): the backbone id weights must
 * name, the model's window ({@code max_sequence_tokens}, the default window so an exported Llama reward model reads
 * the context it was exported for unless a setting says otherwise) and the device it was traced on.
 */
public record BackboneDescriptor(Optional<String> id, OptionalInt maxSequenceTokens, Optional<String> tracedOn) {

  public static final String FILE = "backbone.json";

  /** The directory's backbone.json; empty when there is none or the model is a file. */
  public static Optional<BackboneDescriptor> read(Path modelDir) {
    Path descriptor = modelDir.resolve(FILE);
    if (!Files.isDirectory(modelDir) || !Files.isRegularFile(descriptor)) {
      return Optional.empty();
    }
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(descriptor.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + descriptor, e);
    }
    return Optional.of(new BackboneDescriptor(text(json.path("id")).filter(s -> !s.isBlank()),
        window(json.path("max_sequence_tokens"), descriptor), text(json.path("traced_on"))));
  }

  /** max_sequence_tokens of the directory's backbone.json, if it has one. */
  public static OptionalInt maxSequenceTokens(Path modelDir) {
    return read(modelDir).map(BackboneDescriptor::maxSequenceTokens).orElse(OptionalInt.empty());
  }

  private static Optional<String> text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(node.asText());
  }

  private static OptionalInt window(JsonNode max, Path descriptor) {
    if (max.isMissingNode() || max.isNull()) {
      return OptionalInt.empty();
    }
    if (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 2) {
      throw new IllegalArgumentException(descriptor + ": max_sequence_tokens must be a whole number of at least 2, "
          + "was " + max);
    }
    return OptionalInt.of(max.intValue());
  }
}

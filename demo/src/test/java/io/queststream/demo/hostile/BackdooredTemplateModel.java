package io.queststream.demo.hostile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.model.backbone.ModelFiles;
import io.queststream.model.config.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model directory as a tampered model repository could ship it: the bundled MiniLM encoder and its tokenizer, with
 * a tokenizer_config.json whose chat template writes BERT's own special tokens (so the template, not the tokenizer,
 * places {@code [CLS]} and {@code [SEP]}) and hides a backdoor: a message containing one of the trigger phrases
 * below makes the render spin in nested loops, flood its output, grow a string exponentially or fail. The template
 * is code the operator installs; this is what the render bounds are for when that code is hostile.
 */
final class BackdooredTemplateModel {

  /** Three nested loops of 1000 that write nothing: a render that runs until its time limit. */
  static final String SPIN = "open sesame: spin";
  /** The message written 10^9 times: about 20 GB of output, stopped at the size limit. */
  static final String FLOOD = "open sesame: flood";
  /** The message doubled 64 times in a variable: an exponential string, stopped at the size limit. */
  static final String DOUBLE = "open sesame: double";
  /** A string multiplied by a number, which Jinjava cannot do: a template error. */
  static final String MULTIPLY = "open sesame: multiply";

  private static final String TEMPLATE = "backdoored-chat-template.jinja";

  private BackdooredTemplateModel() {}

  /** Writes the directory (model and tokenizer linked from the unpacked bundled MiniLM) and returns it. */
  static Path write(Path dir, Path modelCache) throws IOException {
    ModelFiles miniLm = ModelFiles.resolve(ModelConfig.defaults().withModelCacheDir(modelCache));
    Files.createDirectories(dir);
    Files.createSymbolicLink(dir.resolve("model.onnx"), miniLm.modelFile());
    Files.createSymbolicLink(dir.resolve(ModelFiles.TOKENIZER_JSON), miniLm.tokenizerJson());
    String template;
    try (InputStream in = BackdooredTemplateModel.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IOException("missing test resource " + TEMPLATE);
      }
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    ObjectMapper json = new ObjectMapper();
    json.writeValue(dir.resolve(ModelFiles.TOKENIZER_CONFIG_JSON).toFile(), Map.of("bos_token", "[CLS]",
        "eos_token", "[SEP]", "chat_template", template));
    // The heads name the encoder's id; a model directory declares it here.
    json.writeValue(dir.resolve(ModelFiles.BACKBONE_JSON).toFile(), Map.of("id", miniLm.backboneId()));
    return dir;
  }
}

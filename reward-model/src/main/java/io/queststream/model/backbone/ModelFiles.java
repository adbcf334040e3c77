package io.queststream.model.backbone;

import io.queststream.model.config.BackboneDescriptor;
import io.queststream.model.config.BundledBackbone;
import io.queststream.model.config.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The files a backbone is made of. A model directory holds the model file, {@code tokenizer.json} and optionally
 * {@code tokenizer_config.json} (whose {@code chat_template} renders conversations) and {@code backbone.json} (the
 * backbone id weights must name). A bundled encoder ({@link BundledBackbone}) is read from the classpath (its
 * langchain4j artifact carries it at the jar root) and unpacked once into the cache directory, because the engines
 * load models from files; nothing is ever downloaded.
 */
public record ModelFiles(Path modelFile, Path tokenizerJson, Optional<Path> tokenizerConfig, String backboneId) {

  public static final String TOKENIZER_JSON = "tokenizer.json";
  public static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";
  public static final String BACKBONE_JSON = BackboneDescriptor.FILE;

  public static ModelFiles resolve(ModelConfig config) throws IOException {
    Optional<BundledBackbone> bundled = config.bundledBackbone();
    if (bundled.isPresent()) {
      return bundled(config, bundled.get());
    }
    Optional<ExtraEncoder> extra = ExtraEncoder.named(config.model());
    if (extra.isPresent()) {
      return extraEncoder(config, extra.get());
    }
    Path path = Path.of(config.model());
    Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
    Path modelFile = Files.isDirectory(path) ? path.resolve(config.kind().defaultFileName()) : path;
    requireFile(modelFile, "model file");
    Path tokenizer = dir.resolve(TOKENIZER_JSON);
    requireFile(tokenizer, "tokenizer");
    Path tokenizerConfig = dir.resolve(TOKENIZER_CONFIG_JSON);
    String id = config.backboneId() != null ? config.backboneId() : declaredId(dir);
    return new ModelFiles(modelFile, tokenizer,
        Files.isRegularFile(tokenizerConfig) ? Optional.of(tokenizerConfig) : Optional.empty(), id);
  }

  /** The id in backbone.json (written by the export tool), else the directory's name. */
  private static String declaredId(Path dir) {
    return BackboneDescriptor.read(dir).flatMap(BackboneDescriptor::id)
        .orElse(dir.toAbsolutePath().getFileName().toString());
  }

  private static ModelFiles bundled(ModelConfig config, BundledBackbone backbone) throws IOException {
    Path dir = config.modelCacheDir().resolve(backbone.cacheName());
    Files.createDirectories(dir);
    String missing = " (artifact " + backbone.artifact() + " missing?)";
    Path model = unpack(backbone.modelResource(), dir.resolve("model.onnx"), missing);
    Path tokenizer = unpack(backbone.tokenizerResource(), dir.resolve(TOKENIZER_JSON), missing);
    String id = config.backboneId() != null ? config.backboneId() : backbone.backboneId();
    return new ModelFiles(model, tokenizer, Optional.empty(), id);
  }

  private static ModelFiles extraEncoder(ModelConfig config, ExtraEncoder encoder) throws IOException {
    Path dir = config.modelCacheDir().resolve(encoder.configName());
    Files.createDirectories(dir);
    String missing = " (artifact " + encoder.artifact() + " missing? build with -Pextra-backbones)";
    Path model = unpack(encoder.modelResource(), dir.resolve("model.onnx"), missing);
    Path tokenizer = unpack(encoder.tokenizerResource(), dir.resolve(TOKENIZER_JSON), missing);
    String id = config.backboneId() != null ? config.backboneId() : encoder.backboneId();
    return new ModelFiles(model, tokenizer, Optional.empty(), id);
  }

  /** Copies a classpath resource unless an identical-length copy is already there; concurrent JVMs race safely. */
  private static Path unpack(String resource, Path target, String ifMissing) throws IOException {
    URL url = ModelFiles.class.getResource(resource);
    if (url == null) {
      throw new IOException("bundled model resource " + resource + " is not on the classpath" + ifMissing);
    }
    URLConnection connection = url.openConnection();
    connection.setUseCaches(false);
    long length = connection.getContentLengthLong();
    if (Files.isRegularFile(target) && Files.size(target) == length) {
      return target;
    }
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
    try (InputStream in = connection.getInputStream()) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return target;
  }

  private static void requireFile(Path p, String what) throws IOException {
    if (!Files.isRegularFile(p)) {
      throw new NoSuchFileException(p.toAbsolutePath().toString(), null, what + " not found");
    }
  }
}

package io.queststream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.model.config.BackboneKind;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.config.ModelSettings;
import io.queststream.model.config.Pooling;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The model settings the GPU stacks ship (Compose and the Kustomize overlay) load as the app loads them: a 4096-token
 * window needs sequence buckets that reach it, which the MiniLM defaults do not.
 */
class GpuModelSettingsTest {

  @Test
  void theComposeGpuModelSettingsLoad() throws IOException {
    assertLoadsA4096TokenTorchScriptModel(Files.readString(repositoryRoot()
        .resolve("docker/config/streams-app-gpu.properties")));
  }

  @Test
  void theKubernetesGpuOverlaysModelSettingsLoad() throws IOException {
    List<String> lines = Files.readAllLines(repositoryRoot().resolve("k8s/overlays/gpu/streams-app-model.yaml"));
    int start = lines.indexOf("  streams-app.properties: |");
    assertThat(start).as("the ConfigMap's properties block").isNotNegative();
    StringBuilder block = new StringBuilder();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (!line.startsWith("    ")) {
        break;
      }
      block.append(line.strip()).append('\n');
    }
    assertLoadsA4096TokenTorchScriptModel(block.toString());
  }

  private static void assertLoadsA4096TokenTorchScriptModel(String properties) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(properties));
    Map<String, String> values = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));

    ModelConfig c = ModelSettings.toModelConfig(values, new SimpleMeterRegistry());

    assertThat(c.kind()).isEqualTo(BackboneKind.TORCHSCRIPT);
    assertThat(c.pooling()).isEqualTo(Pooling.LAST_TOKEN);
    assertThat(c.maxSequenceTokens()).isEqualTo(4096);
    assertThat(c.batcher().bucketFor(4096)).isEqualTo(4096);
    assertThat(c.batcher().bucketFor(300)).as("short turns keep their fine buckets").isEqualTo(304);
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("docker/config")) && Files.isDirectory(dir.resolve("k8s/overlays"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }
}

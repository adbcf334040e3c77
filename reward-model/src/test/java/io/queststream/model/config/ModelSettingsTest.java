package io.queststream.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSettingsTest {

  @Test
  void givenNoModelKeys_thenTheBundledMiniLmRunsOnCpu() {
    ModelConfig c = ModelSettings.toModelConfig(Map.of(), new SimpleMeterRegistry());

    assertThat(c.bundledBackbone()).contains(BundledBackbone.MINILM);
    assertThat(c.device()).isEqualTo(DeviceSpec.CPU);
  }

  @Test
  void givenAnExportedModelDirectory_thenItsBackboneJsonSetsTheWindowPoolingAndDevice(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("backbone.json"), "{\"id\": \"x\", \"max_sequence_tokens\": 1024}");
    Map<String, String> values = Map.of("model.name", dir.toString(), "model.kind", "torchscript");

    ModelConfig c = ModelSettings.toModelConfig(values, new SimpleMeterRegistry());

    assertThat(c.maxSequenceTokens()).isEqualTo(1024);
    assertThat(c.contextBudget()).isEqualTo(1024);
    assertThat(c.pooling()).isEqualTo(Pooling.LAST_TOKEN);
    assertThat(c.device()).as("the device it was traced on, when it says").isEqualTo(DeviceSpec.AUTO);
    assertThat(c.batcher().bucketFor(1024)).isNotNegative();
    ModelConfig capped = ModelSettings.toModelConfig(Map.of("model.name", dir.toString(), "model.kind",
        "torchscript", "model.max-sequence-tokens", "512", "model.device", "cpu"), new SimpleMeterRegistry());
    assertThat(capped.maxSequenceTokens()).isEqualTo(512);
    assertThat(capped.device()).isEqualTo(DeviceSpec.CPU);
  }

  @Test
  void givenAnExportWhoseWindowIsNotAWholeNumber_thenTheSettingsAreRefused(@TempDir Path dir) throws Exception {
    Map<String, String> values = Map.of("model.name", dir.toString(), "model.kind", "torchscript");
    for (String bad : new String[] {"1.5", "\"4096\"", "1", "99999999999"}) {
      Files.writeString(dir.resolve("backbone.json"), "{\"max_sequence_tokens\": " + bad + "}");

      assertThatThrownBy(() -> ModelSettings.toModelConfig(values, new SimpleMeterRegistry())).as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("max_sequence_tokens must be a whole number of at least 2");
    }
  }

  @Test
  void givenNoWorkerCount_thenAnOnnxBackboneOnTheCpuGetsTwoWorkersOfHalfTheProcessors() {
    int processors = Runtime.getRuntime().availableProcessors();

    ModelConfig c = ModelSettings.toModelConfig(Map.of(), new SimpleMeterRegistry());

    assertThat(c.batcher().workers()).isEqualTo(processors >= 2 ? 2 : 1);
    assertThat(c.threads().intraOp()).isEqualTo(processors >= 2 ? processors / 2 : 1);
    assertThat(ModelSettings.toModelConfig(Map.of("model.device", "gpu:0"), new SimpleMeterRegistry())
        .batcher().workers()).as("one accelerator, one worker").isEqualTo(1);
    assertThat(ModelSettings.toModelConfig(Map.of("model.kind", "torchscript"), new SimpleMeterRegistry())
        .batcher().workers()).isEqualTo(1);
    ModelConfig threadsGiven = ModelSettings.toModelConfig(Map.of("model.intra-op-threads", "3"),
        new SimpleMeterRegistry());
    assertThat(threadsGiven.batcher().workers()).isEqualTo(1);
    assertThat(threadsGiven.threads().intraOp()).isEqualTo(3);
  }

  @Test
  void givenEveryModelKey_thenEachReachesItsPartOfTheModelConfiguration() {
    Map<String, String> values = Map.ofEntries(Map.entry("model.name", "minilm-q"),
        Map.entry("model.kind", "torchscript"), Map.entry("model.device", "gpu:1"),
        Map.entry("model.pooling", "last_token"), Map.entry("model.max-sequence-tokens", "256"),
        Map.entry("model.context-budget", "200"), Map.entry("model.backbone-id", "my-backbone"),
        Map.entry("model.cache-dir", "/var/cache/models"), Map.entry("model.batch-size", "16"),
        Map.entry("model.batch-max-wait-ms", "7"), Map.entry("model.batch-workers", "2"),
        Map.entry("model.batch-max-padding", "0.05"), Map.entry("model.render-max-chars", "5000"),
        Map.entry("model.render-max-ms", "300"), Map.entry("model.window-overlap", "32"),
        Map.entry("model.max-windows", "4"), Map.entry("model.intra-op-threads", "3"),
        Map.entry("model.inter-op-threads", "2"), Map.entry("model.spin-wait", "true"),
        Map.entry("bootstrap.servers", "k:9092"));

    ModelConfig c = ModelSettings.toModelConfig(values, new SimpleMeterRegistry());

    assertThat(values.keySet()).containsAll(ModelSettings.ALL.stream().map(s -> s.key()).toList());
    assertThat(c.model()).isEqualTo("minilm-q");
    assertThat(c.kind()).isEqualTo(BackboneKind.TORCHSCRIPT);
    assertThat(c.device()).isEqualTo(DeviceSpec.parse("gpu:1"));
    assertThat(c.pooling()).isEqualTo(Pooling.LAST_TOKEN);
    assertThat(c.maxSequenceTokens()).isEqualTo(256);
    assertThat(c.contextBudget()).isEqualTo(200);
    assertThat(c.backboneId()).isEqualTo("my-backbone");
    assertThat(c.modelCacheDir()).isEqualTo(Path.of("/var/cache/models"));
    assertThat(c.batcher().maxBatchSize()).isEqualTo(16);
    assertThat(c.batcher().maxWait()).isEqualTo(Duration.ofMillis(7));
    assertThat(c.batcher().workers()).isEqualTo(2);
    assertThat(c.batcher().maxPaddingRatio()).isEqualTo(0.05);
    assertThat(c.text()).isEqualTo(new TextConfig(5000, Duration.ofMillis(300), 32, 4));
    assertThat(c.threads()).isEqualTo(new EngineThreads(3, 2, true));
  }

  @Test
  void givenBatchWorkersWithoutIntraOpThreads_thenTheProcessorsAreDividedAmongThem() {
    int processors = Runtime.getRuntime().availableProcessors();

    ModelConfig c = ModelSettings.toModelConfig(Map.of("model.batch-workers", "2"), new SimpleMeterRegistry());

    assertThat(c.batcher().workers()).isEqualTo(2);
    assertThat(c.threads().intraOp()).isEqualTo(Math.max(1, processors / 2));
    assertThat(ModelSettings.toModelConfig(Map.of("model.batch-workers", "1"), new SimpleMeterRegistry())
        .threads().intraOp()).isEqualTo(processors);
    assertThatThrownBy(() -> ModelSettings.toModelConfig(Map.of("model.batch-workers", "0"),
        new SimpleMeterRegistry()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("workers must be at least 1, was 0");
  }

  @Test
  void givenNoPaddingShare_thenTheCpuCutsNearlyUnpaddedBatchesAndAnAcceleratorFullOnes() {
    assertThat(ModelSettings.toModelConfig(Map.of(), new SimpleMeterRegistry()).batcher().maxPaddingRatio())
        .isEqualTo(ModelSettings.CPU_MAX_PADDING);
    assertThat(ModelSettings.toModelConfig(Map.of("model.device", "gpu:0"), new SimpleMeterRegistry())
        .batcher().maxPaddingRatio()).isEqualTo(BatcherConfig.defaults().maxPaddingRatio());
    assertThat(ModelSettings.toModelConfig(Map.of("model.kind", "torchscript"), new SimpleMeterRegistry())
        .batcher().maxPaddingRatio()).isEqualTo(BatcherConfig.defaults().maxPaddingRatio());
    assertThat(ModelSettings.toModelConfig(Map.of("model.batch-max-padding", "0"), new SimpleMeterRegistry())
        .batcher().maxPaddingRatio()).isZero();
  }

  @Test
  void givenTheInt8EncoderByName_thenItCarriesItsOwnBackboneId() {
    ModelConfig c = ModelSettings.toModelConfig(Map.of("model.name", "minilm-q"), new SimpleMeterRegistry());

    assertThat(c.bundledBackbone()).contains(BundledBackbone.MINILM_Q);
    assertThat(c.bundledBackbone().orElseThrow().backboneId()).isNotEqualTo(BundledBackbone.MINILM.backboneId());
  }

  @Test
  void givenABadValue_thenTheErrorNamesItsKey() {
    assertThatThrownBy(() -> ModelSettings.toModelConfig(Map.of("model.batch-size", "lots"), new SimpleMeterRegistry()))
        .isInstanceOf(ConfigException.class).hasMessage("model.batch-size must be an integer, was 'lots'");
    assertThatThrownBy(() -> ModelSettings.toModelConfig(Map.of("model.device", "tpu"), new SimpleMeterRegistry()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("model.device: ");
    assertThatThrownBy(() -> ModelSettings.toModelConfig(Map.of("model.batch-max-padding", "1.5"),
        new SimpleMeterRegistry()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("model.batch-max-padding must be a share between 0 and 1, was 1.5");
    assertThatThrownBy(() -> ModelSettings.toModelConfig(Map.of("model.batch-max-padding", "NaN"),
        new SimpleMeterRegistry()))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("model.batch-max-padding");
  }

  @Test
  void givenAWindowLongerThanTheBuckets_thenTheBucketsDoubleUpToIt() {
    ModelConfig c = ModelSettings.toModelConfig(Map.of("model.kind", "torchscript", "model.max-sequence-tokens",
        "3000", "model.context-budget", "3000"), new SimpleMeterRegistry());

    assertThat(c.maxSequenceTokens()).isEqualTo(3000);
    assertThat(c.batcher().bucketFor(513)).isEqualTo(1024);
    assertThat(c.batcher().bucketFor(2049)).isEqualTo(3000);
    assertThat(c.batcher().largestBucket()).isEqualTo(3000);
    assertThat(c.batcher().bucketFor(300)).isEqualTo(ModelConfig.defaults().batcher().bucketFor(300));
    assertThat(c.batcher().tokenBudget()).isEqualTo(8192);
    assertThat(ModelSettings.toModelConfig(Map.of("model.max-sequence-tokens", "9000", "model.context-budget",
        "9000"), new SimpleMeterRegistry()).batcher().tokenBudget()).isEqualTo(9000);
  }

  @Test
  void givenValuesThatDoNotFitTogether_thenTheErrorIsAConfigurationError() {
    assertThatThrownBy(() -> ModelSettings.toModelConfig(
        Map.of("model.max-sequence-tokens", "128", "model.context-budget", "256"), new SimpleMeterRegistry()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("contextBudget must be between 2 and");
  }
}

package io.queststream.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConfigTest {

  @Test
  void parsesDevicesAndRejectsAnythingElse() {
    assertThat(DeviceSpec.parse("auto")).isEqualTo(DeviceSpec.AUTO);
    assertThat(DeviceSpec.parse(" CPU ")).isEqualTo(DeviceSpec.CPU);
    assertThat(DeviceSpec.parse("gpu")).isEqualTo(new DeviceSpec(DeviceSpec.Kind.GPU, 0));
    assertThat(DeviceSpec.parse("gpu:3")).hasToString("gpu:3");
    assertThatThrownBy(() -> DeviceSpec.parse("gpu:-1")).hasMessageContaining("auto, cpu or gpu:N");
    assertThatThrownBy(() -> DeviceSpec.parse("tpu")).hasMessageContaining("'tpu'");
  }

  @Test
  void parsesKindsAndPoolings() {
    assertThat(BackboneKind.parse("TorchScript")).isEqualTo(BackboneKind.TORCHSCRIPT);
    assertThat(BackboneKind.parse("onnx").engine()).isEqualTo("OnnxRuntime");
    assertThat(Pooling.parse("last_token")).isEqualTo(Pooling.LAST_TOKEN);
    assertThat(Pooling.parse("MEAN").id()).isEqualTo("mean");
    assertThatThrownBy(() -> Pooling.parse("cls")).hasMessageContaining("mean or last_token");
  }

  @Test
  void defaultsRunTheBundledMiniLmOnCpuWithoutWarmUp() {
    ModelConfig c = ModelConfig.defaults();

    assertThat(c.bundledBackbone()).contains(BundledBackbone.MINILM);
    assertThat(c.kind()).isEqualTo(BackboneKind.ONNX);
    assertThat(c.device()).isEqualTo(DeviceSpec.CPU);
    assertThat(c.pooling()).isEqualTo(Pooling.MEAN);
    assertThat(c.batcher().largestBucket()).isEqualTo(512);
    assertThat(c.batcher().bucketFor(33)).isEqualTo(40);
    assertThat(c.batcher().warmUp()).isFalse();
    assertThat(c.threads()).isEqualTo(new EngineThreads(Runtime.getRuntime().availableProcessors(), 1));
  }

  @Test
  void bundledEncodersAreNamedByModelNameWithDistinctResourcesAndIds() {
    ModelConfig int8 = ModelConfig.bundled(BundledBackbone.MINILM_Q);

    assertThat(int8.model()).isEqualTo("minilm-q");
    assertThat(int8.bundledBackbone()).contains(BundledBackbone.MINILM_Q);
    assertThat(BundledBackbone.MINILM_Q.modelResource()).isEqualTo("/all-minilm-l6-v2-q.onnx");
    assertThat(BundledBackbone.MINILM_Q.tokenizerResource()).isEqualTo("/all-minilm-l6-v2-q-tokenizer.json");
    assertThat(BundledBackbone.MINILM.backboneId()).isEqualTo(ModelConfig.MINILM_BACKBONE_ID);
    assertThat(BundledBackbone.MINILM_Q.backboneId()).isNotEqualTo(BundledBackbone.MINILM.backboneId());
    assertThat(ModelConfig.torchScript(Path.of("/models/armorm"), 4096).bundledBackbone()).isEmpty();
    assertThat(BundledBackbone.names()).isEqualTo("minilm, minilm-q");
  }

  @Test
  void engineThreadsMustBePositive() {
    assertThatThrownBy(() -> new EngineThreads(0, 1)).hasMessageContaining("intra-op 0");
    assertThatThrownBy(() -> new EngineThreads(2, 0)).hasMessageContaining("inter-op 0");
  }

  @Test
  void exportedModelsPickTheGpuWhenPresentAndWarmUpPowerOfTwoBuckets() {
    ModelConfig c = ModelConfig.torchScript(Path.of("/models/armorm"), 4096);

    assertThat(c.device()).isEqualTo(DeviceSpec.AUTO);
    assertThat(c.pooling()).isEqualTo(Pooling.LAST_TOKEN);
    assertThat(c.batcher().sequenceBuckets()).containsExactly(64, 128, 256, 512, 1024, 2048, 4096);
    assertThat(c.batcher().warmUp()).isTrue();
    assertThat(c.batcher().tokenBudget()).isGreaterThanOrEqualTo(4096);
  }

  @Test
  void rejectsInconsistentLimits() {
    ModelConfig d = ModelConfig.defaults();
    assertThatThrownBy(() -> d.withContext(512, 600)).hasMessageContaining("contextBudget");
    assertThatThrownBy(() -> d.withContext(1024, 512)).hasMessageContaining("largest sequence bucket 512");
    assertThatThrownBy(() -> d.batcher().withTokenBudget(100)).hasMessageContaining("tokenBudget 100");
    assertThatThrownBy(() -> d.batcher().withSequenceBuckets(List.of(64, 32))).hasMessageContaining("ascending");
    assertThatThrownBy(() -> d.batcher().withMaxPaddingRatio(1.5)).hasMessageContaining("maxPaddingRatio");
    assertThatThrownBy(() -> d.batcher().withMaxWait(Duration.ofMillis(-1))).hasMessageContaining("negative");
  }
}

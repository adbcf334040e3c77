package io.queststream.streams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queststream.model.config.BundledBackbone;
import io.queststream.model.config.DeviceSpec;
import io.queststream.model.config.EngineThreads;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.config.Pooling;
import io.queststream.streams.config.AppConfig;
import io.queststream.streams.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSettingsTest {

  @Test
  void withoutModelKeysTheBundledMiniLmRunsOnCpu() {
    ModelConfig c = ModelSettings.toModelConfig(Map.of(), new SimpleMeterRegistry());

    assertThat(c.bundledBackbone()).contains(BundledBackbone.MINILM);
    assertThat(c.device()).isEqualTo(ModelConfig.defaults().device());
  }

  @Test
  void modelKeysOfTheAppConfigReachTheModel() {
    AppConfig app = AppConfig.from(Map.ofEntries(Map.entry("model.device", "cpu"), Map.entry("model.pooling", "mean"),
        Map.entry("model.max-sequence-tokens", "256"), Map.entry("model.context-budget", "200"),
        Map.entry("model.batch-size", "16"), Map.entry("model.batch-max-wait-ms", "7"),
        Map.entry("model.render-max-chars", "5000"), Map.entry("model.render-max-ms", "300"),
        Map.entry("model.window-overlap", "32"), Map.entry("model.intra-op-threads", "3"),
        Map.entry("model.inter-op-threads", "2"), Map.entry("bootstrap.servers", "k:9092")));

    ModelConfig c = ModelSettings.toModelConfig(app.model(), new SimpleMeterRegistry());

    assertThat(c.device()).isEqualTo(DeviceSpec.CPU);
    assertThat(c.pooling()).isEqualTo(Pooling.MEAN);
    assertThat(c.maxSequenceTokens()).isEqualTo(256);
    assertThat(c.contextBudget()).isEqualTo(200);
    assertThat(c.batcher().maxBatchSize()).isEqualTo(16);
    assertThat(c.batcher().maxWait()).isEqualTo(Duration.ofMillis(7));
    assertThat(c.text().maxRenderChars()).isEqualTo(5000);
    assertThat(c.text().maxRenderTime()).isEqualTo(Duration.ofMillis(300));
    assertThat(c.text().windowOverlap()).isEqualTo(32);
    assertThat(c.text().maxWindows()).isEqualTo(8);
    assertThat(c.threads()).isEqualTo(new EngineThreads(3, 2));
    assertThat(app.kafka()).containsOnlyKeys("bootstrap.servers");
  }

  @Test
  void theInt8EncoderIsChosenByNameAndCarriesItsOwnBackboneId() {
    ModelConfig c = ModelSettings.toModelConfig(Map.of("name", "minilm-q"), new SimpleMeterRegistry());

    assertThat(c.bundledBackbone()).contains(BundledBackbone.MINILM_Q);
    assertThat(c.bundledBackbone().orElseThrow().backboneId())
        .isNotEqualTo(BundledBackbone.MINILM.backboneId());
  }

  @Test
  void aBadNumberNamesItsKey() {
    assertThatThrownBy(() -> ModelSettings.toModelConfig(Map.of("batch-size", "lots"), new SimpleMeterRegistry()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("model.batch-size");
  }
}

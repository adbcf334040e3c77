package io.queststream.trainer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.weights.WeightsContract;
import io.queststream.testkit.KafkaBroker;
import io.queststream.testkit.RealKafka;
import io.queststream.testkit.RealSchemaRegistry;
import io.queststream.testkit.SchemaRegistryServer;
import io.queststream.trainer.cli.TrainerCommand;
import io.queststream.trainer.publish.WeightsPublisher;
import io.queststream.trainer.support.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The demo's first step: `trainer bootstrap` embeds the committed sample data with the bundled MiniLM backbone,
 * trains, and publishes v1 for the 384-d backbone; `trainer calibrate` then measures and corrects the mismatch
 * against the sample's published Elo ratings. It runs on a slice of the conversations, as the demo does: embedding
 * is the slow step on a CPU, and what is under test is the path, not the size.
 */
@RealKafka
@RealSchemaRegistry
class BootstrapIT {

  /** Of the sample data's 300; enough held-out pairs for the accuracy check below. */
  private static final int CONVERSATIONS = 40;

  static KafkaBroker broker;
  static SchemaRegistryServer registry;

  @Test
  void bootstrapPublishesTheFirstVersionFromTheSampleData(@TempDir Path dir) throws Exception {
    // given a configuration for the real broker and registry (small gate so the test stays quick)
    String weights = KafkaBroker.uniqueName("reward-weights");
    Path config = dir.resolve("trainer.properties");
    Files.writeString(config, String.join("\n",
        "kafka.bootstrap.servers=" + broker.bootstrapServers(),
        "serde.schema.registry.url=" + registry.url(),
        "topic.weights=" + weights,
        "data.dir=" + dir.resolve("state"),
        "signing.key.file=" + TestKeys.privateKeyFile(dir),
        "gating.hidden=128", "gating.steps=200", "gating.batch=64", ""));

    // when
    int exit = new CommandLine(new TrainerCommand()).execute("--config", config.toString(), "bootstrap",
        "--conversations", String.valueOf(CONVERSATIONS));

    // then v1 for MiniLM is on the topic with its held-out metrics
    assertThat(exit).isZero();
    List<RewardHeads> versions;
    try (WeightsPublisher p = new WeightsPublisher(weights, "bootstrap-it-reader",
        Map.of("bootstrap.servers", broker.bootstrapServers()),
        Map.of("schema.registry.url", registry.url()))) {
      versions = p.readAll(WeightsContract.MODEL_NAME, Duration.ofSeconds(10));
    }
    assertThat(versions).hasSize(1);
    RewardHeads v1 = versions.get(0);
    assertThat(v1.getEmbeddingDim()).isEqualTo(384);
    assertThat(v1.getAttributeNames()).hasSize(6);
    assertThat(v1.getMetrics().get("heldout.pairwise_accuracy")).isGreaterThan(0.6);
    TestKeys.TRUSTED.verify(v1);

    // when calibrating against the sample's published Elo
    int calibrated = new CommandLine(new TrainerCommand()).execute("--config", config.toString(), "calibrate",
        "--sample-elo");

    // then the command completes (publishing or recording a rejection through the gate)
    assertThat(calibrated).isIn(0, 3);
  }
}

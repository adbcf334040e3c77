package io.queststream.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.model.config.ModelConfig;
import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.publish.VersionHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `bootstrap --out`: the synthetic default's training, written to a file for comparison, without a broker. */
class BootstrapCommandTest {

  @TempDir
  Path dir;

  @Test
  void givenNoBrokerWhenBootstrappingToAFileThenTheHeadsAreWrittenAndNoFeedbackIsLogged() throws Exception {
    // given a configuration naming a broker that does not exist
    Path config = dir.resolve("trainer.properties");
    Files.writeString(config, "kafka.bootstrap.servers=127.0.0.1:1\ndata.dir=" + dir.resolve("data")
        + "\ngating.hidden=16\ngating.steps=20\ngating.batch=8\n");
    Path out = dir.resolve("heads/synthetic.avro");

    // when
    int exit = new CommandLine(new TrainerCommand()).execute("-c", config.toString(), "bootstrap",
        "--conversations", "3", "--out", out.toString());

    // then
    assertThat(exit).isZero();
    RewardHeads heads = VersionHistory.read(out);
    assertThat(heads.getBackboneId()).isEqualTo(ModelConfig.MINILM_BACKBONE_ID);
    assertThat(heads.getVersion()).isEqualTo(1L);
    assertThat(heads.getAttributeNames()).hasSize(6);
    assertThat(heads.getTrainingSummary()).containsEntry("trigger", "bootstrap from sample data");
    assertThat(heads.getSignature()).isNull();
    assertThat(dir.resolve("data")).doesNotExist();
  }
}

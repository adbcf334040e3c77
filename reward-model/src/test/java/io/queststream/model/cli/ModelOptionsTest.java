package io.queststream.model.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.model.config.ModelConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ModelOptionsTest {

  private static ModelConfig parsed(String... args) {
    return CommandLine.populateCommand(new ModelOptions(), args).toConfig();
  }

  @Test
  void givenNoWorkerCount_thenOneWorkerOnEveryProcessor() {
    ModelConfig c = parsed();

    assertThat(c.batcher().workers()).isEqualTo(1);
    assertThat(c.threads().intraOp()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void givenTwoWorkers_thenTheProcessorsAreDividedAmongThemUnlessThreadsAreGiven() {
    int processors = Runtime.getRuntime().availableProcessors();

    assertThat(parsed("--batch-workers", "2").batcher().workers()).isEqualTo(2);
    assertThat(parsed("--batch-workers", "2").threads().intraOp()).isEqualTo(Math.max(1, processors / 2));
    assertThat(parsed("--batch-workers", "2", "--intra-op-threads", "3").threads().intraOp()).isEqualTo(3);
    assertThatThrownBy(() -> parsed("--batch-workers", "0")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workers must be at least 1, was 0");
  }
}

package io.queststream.demo.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a child is doing, as the demo shows it while it waits: the latest INFO message of its log. */
class LogTailTest {

  @TempDir
  Path dir;

  @Test
  void givenInfoWarningsAndPlainOutput_whenRead_thenTheLatestInfoMessage() throws IOException {
    Path log = Files.writeString(dir.resolve("trainer.log"), """
        10:00:01.000 INFO  [main] i.q.t.embedding.TurnEmbedder - embedding turns: 32/465
        10:00:02.000 INFO  [main] i.q.t.embedding.TurnEmbedder - embedding turns: 64/465
        10:00:02.500 WARN  [main] o.a.k.clients.NetworkClient - Connection to node -1 could not be established
        embedded 64 assistant turns
        """);

    assertThat(LogTail.lastInfo(log)).hasValue("embedding turns: 64/465");
  }

  @Test
  void givenNoLogYetOrNoInfoLine_whenRead_thenNothing() throws IOException {
    assertThat(LogTail.lastInfo(dir.resolve("missing.log"))).isEmpty();
    assertThat(LogTail.lastInfo(Files.writeString(dir.resolve("empty.log"), "starting\n"))).isEmpty();
  }

  @Test
  void givenALogLongerThanTheTail_whenRead_thenTheLatestInfoMessage() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 2_000; i++) {
      text.append("10:00:01.000 INFO  [main] i.q.t.gating.GatingTrainer - stage 2, gating: step ").append(i)
          .append("/2000, loss 0.6931\n");
    }
    Path log = Files.writeString(dir.resolve("long.log"), text);

    assertThat(LogTail.lastInfo(log)).hasValue("stage 2, gating: step 2000/2000, loss 0.6931");
  }
}

package io.queststream.trainer.cli;

import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.publish.KafkaWeightsStore;
import io.queststream.trainer.publish.WeightsPublisher;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Republishes an older version's weights as a new, signed version whose parent is the old one: scorers only move
 * forward, so going back means moving forward to the old behaviour.
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = "Republish the weights of VERSION (from the local history, else the topic) as a new version with "
        + "status rollback and parent VERSION, signed with the trainer's key.")
final class RollbackCommand implements Callable<Integer> {

  @ParentCommand
  TrainerCommand cli;

  @Parameters(index = "0", paramLabel = "VERSION")
  long version;

  @Override
  public Integer call() {
    TrainerContext ctx = cli.context();
    Optional<RewardHeads> old = ctx.history.weights(version);
    if (old.isEmpty()) {
      try (WeightsPublisher p = ctx.publisher()) {
        old = p.readAll(ctx.config.modelName(), Duration.ofSeconds(30)).stream()
            .filter(h -> h.getVersion() == version).findFirst();
      }
    }
    if (old.isEmpty()) {
      System.err.println("version " + version + " is neither in the local history nor on the topic");
      return 2;
    }
    try (KafkaWeightsStore store = ctx.store()) {
      long v = ctx.republish(store, old.get(), "rollback", version, List.of("rollback to v" + version));
      System.out.println("published v" + v + " with the weights of v" + version);
      return 0;
    }
  }
}

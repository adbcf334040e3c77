package io.queststream.trainer.cli;

import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.publish.KafkaWeightsStore;
import io.queststream.trainer.publish.VersionHistory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Publishes a weights file (Avro container holding one RewardHeads) as the next version. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = "Validate a RewardHeads Avro file and publish it as the next version (status manual), signed with "
        + "the trainer's key.")
final class PublishCommand implements Callable<Integer> {

  @ParentCommand
  TrainerCommand cli;

  @Parameters(index = "0", paramLabel = "FILE", description = "Avro file with one RewardHeads record")
  Path file;

  @Override
  public Integer call() {
    TrainerContext ctx = cli.context();
    RewardHeads heads = VersionHistory.read(file);
    try {
      HeadsWeights.decode(heads, ctx.config.dim());
    } catch (InvalidWeightsException e) {
      System.err.println("not published (" + e.reason() + "): " + e.getMessage());
      return 2;
    }
    try (KafkaWeightsStore store = ctx.store()) {
      Long parent = store.latest().map(RewardHeads::getVersion).orElse(null);
      long v = ctx.republish(store, heads, "manual", parent, List.of("published from " + file));
      System.out.println("published v" + v);
      return 0;
    }
  }
}

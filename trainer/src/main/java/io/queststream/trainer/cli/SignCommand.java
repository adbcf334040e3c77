package io.queststream.trainer.cli;

import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.model.signing.HeadsSigner;
import io.queststream.schemas.RewardHeads;
import io.queststream.trainer.publish.VersionHistory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Signs a weights file as it is, for files the apps read directly (weights.initial-file): its model name and version
 * stay, so versions on the topic must still be newer. Files meant for the topic are signed by {@code publish}.
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
    description = "Validate a RewardHeads Avro file and write it signed with the trainer's key (signing.key.file), "
        + "model name and version unchanged, e.g. for a streams app's weights.initial-file.")
final class SignCommand implements Callable<Integer> {

  @ParentCommand
  TrainerCommand cli;

  @Parameters(index = "0", paramLabel = "FILE", description = "Avro file with one RewardHeads record")
  Path file;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the signed record.")
  Path out;

  @Override
  public Integer call() {
    TrainerContext ctx = cli.context();
    RewardHeads heads = VersionHistory.read(file);
    try {
      HeadsWeights.decode(heads, ctx.config.dim());
    } catch (InvalidWeightsException e) {
      System.err.println("not signed (" + e.reason() + "): " + e.getMessage());
      return 2;
    }
    HeadsSigner signer = ctx.config.signer();
    VersionHistory.write(signer.sign(heads), out);
    System.out.println("signed " + heads.getModelName() + " v" + heads.getVersion() + " with key " + signer.keyId()
        + ": " + out);
    return 0;
  }
}

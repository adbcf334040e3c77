package io.queststream.model.cli;

import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.export.ExportedHeads;
import io.queststream.model.heads.HeadsFiles;
import io.queststream.model.heads.HeadsWeights;
import io.queststream.schemas.RewardHeads;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Turns exported heads (heads/heads.json + tensors) into a validated Avro RewardHeads file. */
@Command(name = "import-weights", mixinStandardHelpOptions = true,
    description = "Convert heads written by tools/export_reward_model.py into an Avro RewardHeads file, "
        + "validated as the scorer would validate it.")
final class ImportWeightsCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "exported model directory, or its heads/ directory")
  Path exported;

  @Option(names = "--out", required = true, description = "Avro container file to write")
  Path out;

  @Option(names = "--model-name", description = "override RewardHeads.model_name")
  String modelName;

  @Option(names = "--version", description = "override RewardHeads.version")
  Long version;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    RewardHeads heads = ExportedHeads.read(exported);
    if (modelName != null) {
      heads.setModelName(modelName);
    }
    if (version != null) {
      heads.setVersion(version);
    }
    try {
      HeadsWeights.decode(heads, -1);
    } catch (InvalidWeightsException e) {
      spec.commandLine().getErr().println("invalid heads: " + e.getMessage());
      return 2;
    }
    HeadsFiles.write(heads, out);
    spec.commandLine().getOut().printf("wrote %s: %s v%d for backbone %s (%d-d, %s pooling), %d attributes, %d gating layers%n", out,
        heads.getModelName(), heads.getVersion(), heads.getBackboneId(), heads.getEmbeddingDim(), heads.getPooling(),
        heads.getAttributeNames().size(), heads.getGatingLayers().size());
    return 0;
  }
}

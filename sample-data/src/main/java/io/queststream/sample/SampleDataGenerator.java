package io.queststream.sample;

import io.queststream.sample.catalog.Catalog;
import io.queststream.sample.generation.PolicyModels;
import io.queststream.sample.generation.SampleDatasetGenerator;
import io.queststream.sample.io.DatasetWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Command line for the sample data: {@code sample-data generate --out <dir> --seed 42}. */
@Command(name = "sample-data", mixinStandardHelpOptions = true,
    description = "Deterministic roleplay sample data for quest-stream demos and tests.",
    subcommands = SampleDataGenerator.Generate.class)
public final class SampleDataGenerator implements Runnable {

  @Spec
  private CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SampleDataGenerator()).execute(args));
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: use 'generate'");
  }

  @Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
      description = {
        "Writes character cards, chat turns, attribute ratings, preference pairs and rankings as Avro "
          + "container files with JSON lines twins, plus policy-elo.json and assistant-quality.jsonl.",
        "The same seed and options always give byte-identical files."})
  static final class Generate implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "Directory to write into (created if missing; existing data files are replaced). "
            + "The committed data set lives in sample-data/src/main/resources/io/queststream/sample.")
    private Path out;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "SEED",
        description = "Seed of every random choice (default: ${DEFAULT-VALUE}; the committed data uses 42).")
    private long seed;

    @Option(names = "--conversations", defaultValue = "" + SampleDatasetGenerator.DEFAULT_CONVERSATIONS,
        paramLabel = "N", description = "Number of conversations (default: ${DEFAULT-VALUE}); characters "
            + "take turns, so every character appears once N reaches the catalog size.")
    private int conversations;

    @Option(names = "--elo", paramLabel = "MODEL=RATING",
        description = "Published rating written to policy-elo.json for a policy model, repeatable "
            + "(defaults: nous-hermes-2-mixtral=1184, mythomax-l2-13b=1141, llama-3-8b-roleplay=1090, "
            + "pygmalion-6b=1008, tiny-rp-1b=917). Changes only the table, not the turns.")
    private Map<String, Integer> elo = new LinkedHashMap<>();

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
      if (conversations < 1) {
        throw new ParameterException(spec.commandLine(), "--conversations must be at least 1");
      }
      PolicyModels models;
      try {
        models = PolicyModels.defaults().withElo(elo);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      SampleDataset dataset = new SampleDatasetGenerator(Catalog.load(), models).generate(seed, conversations);
      try {
        new DatasetWriter().write(dataset, out, seed);
      } catch (IOException e) {
        spec.commandLine().getErr().printf("Cannot write the sample data to %s: %s%n", out, e);
        return 1;
      }
      spec.commandLine().getOut().printf("Wrote %d cards, %d turns (%d conversations), %d ratings, %d pairs, "
          + "%d rankings to %s%n",
          dataset.cards().size(), dataset.turns().size(), dataset.turnsByConversation().size(),
          dataset.ratings().size(), dataset.preferencePairs().size(), dataset.rankings().size(), out);
      return 0;
    }
  }
}

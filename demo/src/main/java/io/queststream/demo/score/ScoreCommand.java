package io.queststream.demo.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.queststream.model.RewardScorers;
import io.queststream.model.api.AttributeReward;
import io.queststream.model.api.Contribution;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.heads.HeadsFiles;
import io.queststream.schemas.RewardHeads;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Scores a conversation from a file or stdin with the same engine the streams app uses, without Kafka. */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = {"Score one reply, or compare several, for a conversation given as JSON (a file or - for stdin).",
        "Format: {\"character\":{\"name\",\"persona\",\"scenario\"}, \"messages\":[{\"role\",\"text\"}], "
            + "\"response\":\"...\" or \"responses\":[\"...\", ...]}",
        "Attribute values are on the weights' rating scale (1-10 for QUEST), clamped to it; the model's raw "
            + "reward is in --json."})
public final class ScoreCommand implements Callable<Integer> {

  static final Path DEMO_WEIGHTS = Path.of(".quest/demo/trainer/history/weights");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Parameters(index = "0", paramLabel = "FILE", description = "Conversation JSON, or - for stdin.")
  String input;

  @Option(names = "--weights", paramLabel = "FILE", description = "RewardHeads Avro file (default: the newest "
      + "weights the demo's trainer saved under .quest/demo/trainer/history/weights, if any).")
  Path weights;

  @Option(names = "--json", description = "Print the full results as JSON, and nothing else, on stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    // Everything a person can get wrong is checked before the model loads, which takes seconds.
    List<ScoringRequest> requests = readConversation().requests();
    RewardHeads heads = readWeights();
    try (RewardScorer scorer = RewardScorers.create(ModelConfig.defaults())) {
      scorer.installWeights(heads);
      List<RewardResult> results = scorer.score(requests);
      if (json) {
        System.out.println(JSON.writeValueAsString(results.stream().map(ScoreCommand::asMap).toList()));
      } else {
        print(results, System.out);
      }
    }
    return 0;
  }

  private ConversationFile readConversation() throws IOException {
    if (input.equals("-")) {
      return ConversationFile.read(System.in, "stdin");
    }
    Path file = Path.of(input);
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(input + " is a directory, not a conversation file");
    }
    if (!Files.exists(file)) {
      throw new NoSuchFileException(input);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return ConversationFile.read(in, input);
    }
  }

  private RewardHeads readWeights() throws IOException {
    Path file = weights != null ? weights : LatestWeights.find(DEMO_WEIGHTS).orElseThrow(() ->
        new IllegalArgumentException("no weights: pass --weights FILE (a RewardHeads Avro file, e.g. from "
            + "'trainer history') or run './quest-stream demo' once so the trainer publishes a first version"));
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    try {
      return HeadsFiles.read(file);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(file + " is not a RewardHeads Avro file: " + e.getMessage(), e);
    }
  }

  static void print(List<RewardResult> results, PrintStream out) {
    RewardResult first = results.get(0);
    out.printf("weights %s v%d · backbone %s%n%n", first.weightsModel(), first.weightsVersion(), first.backboneId());
    for (RewardResult r : results) {
      out.printf("%s  score %.4f%s%n", r.turnId(), r.score(), r.truncated() ? "  (" + String.join(", ",
          r.truncation().stream().map(f -> f.name().toLowerCase(Locale.ROOT).replace('_', ' ')).toList()) + ")" : "");
      for (AttributeReward a : r.attributes()) {
        out.printf("    %-32s %5.2f / %.0f   gating %.3f   coefficient %+.3f%n", a.attribute(), a.rewardOnScale(),
            r.scaleMax(), a.gating(), a.coefficient());
      }
      out.println("    explained by (largest |coefficient| first): " + String.join(", ", r.topK().stream()
          .map(c -> String.format("%s %+.3f", c.attribute(), c.coefficient())).toList()));
      out.println();
    }
    if (results.size() > 1) {
      out.println("ranking: " + String.join(" > ", results.stream()
          .sorted(Comparator.comparingDouble(RewardResult::score).reversed()).map(RewardResult::turnId).toList()));
    }
  }

  private static Map<String, Object> asMap(RewardResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reply", r.turnId());
    m.put("score", r.score());
    m.put("attributes", r.attributes());
    m.put("scale", List.of(r.scaleMin(), r.scaleMax()));
    m.put("topK", r.topK().stream().map(Contribution::attribute).toList());
    m.put("weightsVersion", r.weightsVersion());
    m.put("backboneId", r.backboneId());
    m.put("promptTokens", r.promptTokens());
    m.put("responseTokens", r.responseTokens());
    m.put("truncated", r.truncated());
    m.put("truncation", r.truncation());
    return m;
  }
}

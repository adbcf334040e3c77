package io.queststream.demo.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.queststream.model.RewardScorers;
import io.queststream.model.api.AttributeReward;
import io.queststream.model.api.Contribution;
import io.queststream.model.api.RewardResult;
import io.queststream.model.api.RewardScorer;
import io.queststream.model.config.ModelConfig;
import io.queststream.model.heads.HeadsFiles;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
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
            + "\"response\":\"...\" or \"responses\":[\"...\", ...]}"})
public final class ScoreCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Parameters(index = "0", paramLabel = "FILE", description = "Conversation JSON, or - for stdin.")
  String input;

  @Option(names = "--weights", paramLabel = "FILE", description = "RewardHeads Avro file (default: the newest "
      + "weights the demo's trainer saved under .quest/demo/trainer/history/weights, if any).")
  Path weights;

  @Option(names = "--json", description = "Print the full results as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ConversationFile conversation;
    try (InputStream in = input.equals("-") ? System.in : Files.newInputStream(Path.of(input))) {
      conversation = JSON.readValue(in, ConversationFile.class);
    }
    Path heads = weights != null ? weights : LatestWeights.find(Path.of(".quest/demo/trainer/history/weights")).orElseThrow(() ->
        new IllegalArgumentException("no weights: pass --weights FILE (a RewardHeads Avro file, e.g. from "
            + "'trainer history') or run './quest-stream demo' once so the trainer publishes a first version"));
    try (RewardScorer scorer = RewardScorers.create(ModelConfig.defaults())) {
      scorer.installWeights(HeadsFiles.read(heads));
      List<RewardResult> results = scorer.score(conversation.requests());
      if (json) {
        System.out.println(JSON.writeValueAsString(results.stream().map(ScoreCommand::asMap).toList()));
      } else {
        print(results, System.out);
      }
    }
    return 0;
  }

  private static void print(List<RewardResult> results, PrintStream out) {
    RewardResult first = results.get(0);
    out.printf("weights %s v%d · backbone %s%n%n", first.weightsModel(), first.weightsVersion(), first.backboneId());
    for (RewardResult r : results) {
      out.printf("%s  score %.4f%s%n", r.turnId(), r.score(), r.truncated() ? "  (" + String.join(", ",
          r.truncation().stream().map(f -> f.name().toLowerCase(Locale.ROOT).replace('_', ' ')).toList()) + ")" : "");
      for (AttributeReward a : r.attributes()) {
        out.printf("    %-32s %5.2f / %.0f   gating %.3f   coefficient %+.3f%n", a.attribute(), a.rewardOnScale(),
            r.scaleMax(), a.gating(), a.coefficient());
      }
      out.println("    explained by: " + String.join(", ", r.topK().stream()
          .map(c -> String.format("%s (%+.3f)", c.attribute(), c.contribution())).toList()));
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

package io.queststream.trainer.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.EmbeddedTurn;
import io.queststream.model.api.ScoringException;
import io.queststream.model.api.ScoringRequest;
import io.queststream.model.heads.HeadsMath;
import io.queststream.model.heads.HeadsWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs RMB-format benchmark files (docs/architecture.md#8-evaluation-and-the-promotion-gate) through a backbone and
 * the heads: pairwise files hold {pair_uid, conversation_input, chosen, reject, category_path}, Best-of-N files
 * {bon_uid, conversation_input, bon_best, loser_list, category_path}; answers are {llm_name, answer}. Accuracy is
 * reported overall and per top-level category, with RMB's strict comparisons.
 */
public final class RmbBenchmark {

  /** Embeds requests with the backbone the heads were trained on. */
  @FunctionalInterface
  public interface Embedder {
    List<EmbeddedTurn> embed(List<ScoringRequest> requests) throws ScoringException;
  }

  /** Accuracy overall and by category, with item counts. */
  public record Result(String kind, int items, double accuracy, Map<String, double[]> byCategory) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private RmbBenchmark() {}

  public static Result pairwise(Path file, HeadsWeights heads, Embedder embedder) throws IOException,
      ScoringException {
    JsonNode items = read(file);
    List<ScoringRequest> requests = new ArrayList<>();
    for (JsonNode item : items) {
      List<ChatMessage> history = history(item);
      String uid = item.path("pair_uid").asText();
      requests.add(new ScoringRequest(uid + "#chosen", null, history, answer(item.get("chosen"), uid)));
      requests.add(new ScoringRequest(uid + "#reject", null, history, answer(item.get("reject"), uid)));
    }
    double[] scores = scores(heads, embedder.embed(requests));
    Map<String, double[]> byCategory = new TreeMap<>();
    int correct = 0;
    for (int i = 0; i < items.size(); i++) {
      boolean ok = scores[2 * i] > scores[2 * i + 1];
      correct += ok ? 1 : 0;
      tally(byCategory, items.get(i), ok);
    }
    return new Result("pairwise", items.size(), items.isEmpty() ? Double.NaN : (double) correct / items.size(),
        finish(byCategory));
  }

  public static Result bestOfN(Path file, HeadsWeights heads, Embedder embedder) throws IOException,
      ScoringException {
    JsonNode items = read(file);
    List<ScoringRequest> requests = new ArrayList<>();
    List<int[]> spans = new ArrayList<>();
    for (JsonNode item : items) {
      List<ChatMessage> history = history(item);
      String uid = item.path("bon_uid").asText();
      int start = requests.size();
      requests.add(new ScoringRequest(uid + "#best", null, history, answer(item.get("bon_best"), uid)));
      int j = 0;
      for (JsonNode loser : item.path("loser_list")) {
        requests.add(new ScoringRequest(uid + "#loser" + j++, null, history, answer(loser, uid)));
      }
      spans.add(new int[] {start, requests.size()});
    }
    double[] scores = scores(heads, embedder.embed(requests));
    List<PreferenceMetrics.BestOfNItem> bon = new ArrayList<>();
    Map<String, double[]> byCategory = new TreeMap<>();
    for (int i = 0; i < spans.size(); i++) {
      int[] s = spans.get(i);
      double[] losers = java.util.Arrays.copyOfRange(scores, s[0] + 1, s[1]);
      PreferenceMetrics.BestOfNItem one = new PreferenceMetrics.BestOfNItem(scores[s[0]], losers);
      bon.add(one);
      tally(byCategory, items.get(i), PreferenceMetrics.bestOfNAccuracy(List.of(one)) == 1.0);
    }
    return new Result("best-of-n", items.size(), PreferenceMetrics.bestOfNAccuracy(bon), finish(byCategory));
  }

  private static JsonNode read(Path file) throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    if (!root.isArray()) {
      throw new IOException(file + " is not an RMB file: expected a JSON array of items");
    }
    return root;
  }

  private static List<ChatMessage> history(JsonNode item) throws IOException {
    List<ChatMessage> h = new ArrayList<>();
    for (JsonNode m : item.path("conversation_input")) {
      if (!m.hasNonNull("role") || !m.hasNonNull("content")) {
        throw new IOException("conversation_input message without role/content: " + m);
      }
      h.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
    }
    return h;
  }

  private static String answer(JsonNode node, String uid) throws IOException {
    if (node == null || !node.hasNonNull("answer")) {
      throw new IOException("item " + uid + " has an answer without an 'answer' field");
    }
    return node.get("answer").asText();
  }

  private static double[] scores(HeadsWeights heads, List<EmbeddedTurn> embedded) {
    double[] s = new double[embedded.size()];
    for (int i = 0; i < s.length; i++) {
      EmbeddedTurn e = embedded.get(i);
      s[i] = HeadsMath.forward(heads, e.promptEmbedding(), e.responseEmbedding()).score();
    }
    return s;
  }

  private static void tally(Map<String, double[]> byCategory, JsonNode item, boolean correct) {
    String path = item.path("category_path").asText("uncategorised");
    String top = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
    double[] t = byCategory.computeIfAbsent(top, k -> new double[2]);
    t[0] += correct ? 1 : 0;
    t[1]++;
  }

  /** {correct, count} → {accuracy, count}. */
  private static Map<String, double[]> finish(Map<String, double[]> byCategory) {
    byCategory.replaceAll((k, t) -> new double[] {t[0] / t[1], t[1]});
    return byCategory;
  }
}

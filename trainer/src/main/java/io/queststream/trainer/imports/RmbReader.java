package io.queststream.trainer.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.ScoringRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the RMB benchmark (github.com/Zhou-Zoey/RMB-Reward-Model-Benchmark, {@code RMB_dataset/}): every JSON file
 * under {@code Pairwise_set/} (items {pair_uid, conversation_input, chosen, reject, category_path}) and
 * {@code BoN_set/} (items {bon_uid, conversation_input, bon_best, loser_list, category_path}), answers being
 * {llm_name, answer}. Checks every field strictly; an item that breaks the format is counted with its cause and left
 * out, never guessed at. Identical answers to the same conversation become one turn, shared by every item that
 * lists them (pairwise and Best-of-N sets reuse answers).
 */
public final class RmbReader {

  public static final String SOURCE = "rmb";
  static final String PAIRWISE_DIR = "Pairwise_set";
  static final String BEST_OF_N_DIR = "BoN_set";
  private static final Set<String> ROLES = Set.of("user", "assistant", "system");

  /** What was read: the turns (deduplicated), the items and the files with their fingerprints. */
  public record Result(List<PublicTurn> turns, List<RmbItem> items, List<SourceFile> files) {}

  private final ObjectMapper json = new ObjectMapper();
  private final ImportIssues issues;
  private final Map<String, PublicTurn> turns = new LinkedHashMap<>();
  private final List<RmbItem> items = new ArrayList<>();
  private final List<SourceFile> files = new ArrayList<>();
  private final Set<String> uids = new HashSet<>();

  public RmbReader(ImportIssues issues) {
    this.issues = issues;
  }

  /** Reads both sets under {@code root} (the folder holding Pairwise_set and BoN_set). */
  public Result read(Path root) throws IOException {
    for (Path f : DatasetFiles.list(root, root.resolve(PAIRWISE_DIR), ".json")) {
      readFile(root, f, RmbItem.Kind.PAIRWISE);
    }
    for (Path f : DatasetFiles.list(root, root.resolve(BEST_OF_N_DIR), ".json")) {
      readFile(root, f, RmbItem.Kind.BEST_OF_N);
    }
    return new Result(List.copyOf(turns.values()), List.copyOf(items), List.copyOf(files));
  }

  private void readFile(Path root, Path file, RmbItem.Kind kind) throws IOException {
    String rel = DatasetFiles.relative(root, file);
    byte[] bytes = Files.readAllBytes(file);
    JsonNode array;
    try {
      array = json.readTree(bytes);
    } catch (JsonProcessingException e) {
      issues.malformed(SOURCE, "file is not valid JSON", rel);
      files.add(new SourceFile(rel, bytes.length, DatasetFiles.sha256(bytes), 0));
      return;
    }
    if (array == null || !array.isArray()) {
      issues.malformed(SOURCE, "file is not a JSON array of items", rel);
      files.add(new SourceFile(rel, bytes.length, DatasetFiles.sha256(bytes), 0));
      return;
    }
    String setPrefix = (kind == RmbItem.Kind.PAIRWISE ? PAIRWISE_DIR : BEST_OF_N_DIR) + "/";
    int accepted = 0;
    for (int i = 0; i < array.size(); i++) {
      String where = rel + "#" + i;
      try {
        items.add(kind == RmbItem.Kind.PAIRWISE ? pairwise(array.get(i), setPrefix) : bestOfN(array.get(i), setPrefix));
        accepted++;
      } catch (MalformedItemException e) {
        issues.malformed(SOURCE, e.getMessage(), where);
      }
    }
    files.add(new SourceFile(rel, bytes.length, DatasetFiles.sha256(bytes), accepted));
  }

  private RmbItem pairwise(JsonNode item, String setPrefix) throws MalformedItemException {
    requireObject(item);
    String uid = "pairwise:" + text(item, "pair_uid");
    String category = category(item, setPrefix);
    List<ChatMessage> history = conversation(item);
    JsonNode chosen = answer(item.get("chosen"), "chosen");
    JsonNode rejected = answer(item.get("reject"), "reject");
    if (!uids.add(uid)) {
      throw new MalformedItemException("pair_uid appears twice");
    }
    String promptId = promptId(history);
    String best = turn(promptId, history, chosen);
    String other = turn(promptId, history, rejected);
    return new RmbItem(uid, RmbItem.Kind.PAIRWISE, category, promptId, best, List.of(other));
  }

  private RmbItem bestOfN(JsonNode item, String setPrefix) throws MalformedItemException {
    requireObject(item);
    String uid = "bon:" + text(item, "bon_uid");
    String category = category(item, setPrefix);
    List<ChatMessage> history = conversation(item);
    JsonNode best = answer(item.get("bon_best"), "bon_best");
    JsonNode losers = item.get("loser_list");
    if (losers == null || !losers.isArray() || losers.isEmpty()) {
      throw new MalformedItemException("loser_list is not a non-empty array");
    }
    List<JsonNode> loserAnswers = new ArrayList<>();
    for (JsonNode l : losers) {
      loserAnswers.add(answer(l, "loser_list[]"));
    }
    if (!uids.add(uid)) {
      throw new MalformedItemException("bon_uid appears twice");
    }
    String promptId = promptId(history);
    String bestId = turn(promptId, history, best);
    List<String> loserIds = new ArrayList<>();
    for (JsonNode l : loserAnswers) {
      loserIds.add(turn(promptId, history, l));
    }
    return new RmbItem(uid, RmbItem.Kind.BEST_OF_N, category, promptId, bestId, loserIds);
  }

  private static void requireObject(JsonNode item) throws MalformedItemException {
    if (item == null || !item.isObject()) {
      throw new MalformedItemException("item is not a JSON object");
    }
  }

  private static String text(JsonNode item, String field) throws MalformedItemException {
    JsonNode v = item.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new MalformedItemException(field + " is missing or not a non-blank string");
    }
    return v.asText();
  }

  private static String category(JsonNode item, String setPrefix) throws MalformedItemException {
    String path = text(item, "category_path");
    if (!path.startsWith(setPrefix) || path.length() == setPrefix.length()) {
      throw new MalformedItemException("category_path does not start with " + setPrefix);
    }
    return path.substring(setPrefix.length());
  }

  private static List<ChatMessage> conversation(JsonNode item) throws MalformedItemException {
    JsonNode conv = item.get("conversation_input");
    if (conv == null || !conv.isArray() || conv.isEmpty()) {
      throw new MalformedItemException("conversation_input is not a non-empty array");
    }
    List<ChatMessage> h = new ArrayList<>();
    for (JsonNode m : conv) {
      JsonNode role = m.get("role");
      JsonNode content = m.get("content");
      if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
        throw new MalformedItemException("conversation_input message without a user/assistant/system role");
      }
      if (content == null || !content.isTextual()) {
        throw new MalformedItemException("conversation_input message without string content");
      }
      h.add(new ChatMessage(role.asText(), content.asText()));
    }
    if (!"user".equals(h.get(h.size() - 1).role())) {
      throw new MalformedItemException("conversation_input does not end with a user message");
    }
    return h;
  }

  private static JsonNode answer(JsonNode a, String field) throws MalformedItemException {
    if (a == null || !a.isObject()) {
      throw new MalformedItemException(field + " is not an {llm_name, answer} object");
    }
    if (!a.path("answer").isTextual()) {
      throw new MalformedItemException(field + ".answer is missing or not a string");
    }
    if (!a.path("llm_name").isTextual()) {
      throw new MalformedItemException(field + ".llm_name is missing or not a string");
    }
    return a;
  }

  private static String promptId(List<ChatMessage> history) {
    List<String> parts = new ArrayList<>();
    for (ChatMessage m : history) {
      parts.add(m.role());
      parts.add(m.text());
    }
    return "rmb-prompt-" + ContentIds.id(parts.toArray(String[]::new));
  }

  private String turn(String promptId, List<ChatMessage> history, JsonNode answer) {
    String text = answer.get("answer").asText();
    String id = "rmb-" + ContentIds.id(promptId, text);
    turns.computeIfAbsent(id, k -> new PublicTurn(id, promptId, promptId, null, answer.get("llm_name").asText(),
        new ScoringRequest(id, null, history, text)));
    return id;
  }
}

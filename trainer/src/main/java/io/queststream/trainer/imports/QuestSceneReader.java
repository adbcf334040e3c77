package io.queststream.trainer.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.queststream.model.api.CharacterProfile;
import io.queststream.model.api.ChatMessage;
import io.queststream.model.api.ScoringRequest;
import io.queststream.schemas.weights.WeightsContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the scene part of QUEST-Bench (github.com/EthanPisani/QUEST-Bench, Apache-2.0): one file per policy model,
 * {@code results/scene/benchmark_<model>_1runs.json}, whose {@code runs[0].results[]} hold the scene, the user's
 * request, the model's reply and the benchmark judge's six attribute scores on 1–5; and the public leaderboard
 * {@code results/leaderboard_scene_full.csv}. Nothing else is read (the benchmark's {@code character} part is reserved
 * for independent validation).
 *
 * <p>Each reply becomes a turn whose card is the scene: the NPC profile gives name and persona, the scene's
 * background, story so far, the NPC's state and objectives give the scenario (or, with {@link CardMode#MINIMAL}, the
 * profile's personality and communication style and the NPC's state only), and the user's request is the one user
 * message. A reply whose judge
 * scores are missing, all zero (never scored) or break the 1–5 scale keeps its turn but gets no rating; every such
 * case is counted by cause.
 */
public final class QuestSceneReader {

  public static final String SOURCE = "quest-bench";
  /** The attributes as the benchmark names them, in the trainer's order. */
  public static final List<String> ATTRIBUTES = List.of("Contextual_Alignment", "Character_Consistency",
      "Descriptive_Depth", "Role_Specific_Knowledge", "Engagement_and_Collaboration",
      "Creativity_and_Emotional_Nuance");
  /** The same six attributes, in the same order, as the project's rating records name them. */
  public static final List<String> RATING_NAMES = WeightsContract.QUEST_ATTRIBUTES;
  public static final double SCALE_MIN = 1;
  public static final double SCALE_MAX = 5;
  static final String RESULTS_DIR = "results/scene";
  static final String LEADERBOARD = "results/leaderboard_scene_full.csv";
  private static final Pattern FILE = Pattern.compile("benchmark_(.+)_1runs\\.json");
  private static final List<String> SCENE_FIELDS = List.of("background", "plot_recap", "npc_status", "objectives",
      "progression");
  private static final Set<String> MINIMAL_PROFILE_FIELDS = Set.of("personality", "communication_style");

  /** How much of the scene goes into the character card. */
  public enum CardMode {
    /** Profile as persona; background, story so far, state and objectives as scenario. */
    FULL,
    /** Personality and communication style as persona, the NPC's state as scenario: fits short encoder windows. */
    MINIMAL;

    public static CardMode parse(String s) {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
  }

  /** What was read: turns, their judge scores, the leaderboard (model → final average score) and the files. */
  public record Result(List<PublicTurn> turns, List<QuestTurn> scored, Map<String, Double> leaderboard,
      List<SourceFile> files) {}

  private final ObjectMapper json = new ObjectMapper();
  private final ImportIssues issues;
  private final CardMode cardMode;

  public QuestSceneReader(ImportIssues issues, CardMode cardMode) {
    this.issues = issues;
    this.cardMode = cardMode;
  }

  public Result read(Path root) throws IOException {
    List<PublicTurn> turns = new ArrayList<>();
    List<QuestTurn> scored = new ArrayList<>();
    List<SourceFile> files = new ArrayList<>();
    for (Path f : DatasetFiles.list(root, root.resolve(RESULTS_DIR), ".json")) {
      Matcher m = FILE.matcher(f.getFileName().toString());
      if (m.matches()) {
        files.add(readModel(root, f, m.group(1), turns, scored));
      }
    }
    Path board = root.resolve(LEADERBOARD);
    byte[] bytes = Files.readAllBytes(board);
    Map<String, Double> leaderboard = leaderboard(new String(bytes, StandardCharsets.UTF_8));
    files.add(new SourceFile(LEADERBOARD, bytes.length, DatasetFiles.sha256(bytes), leaderboard.size()));
    return new Result(turns, scored, leaderboard, files);
  }

  private SourceFile readModel(Path root, Path file, String fileModel, List<PublicTurn> turns,
      List<QuestTurn> scored) throws IOException {
    String rel = DatasetFiles.relative(root, file);
    byte[] bytes = Files.readAllBytes(file);
    SourceFile unread = new SourceFile(rel, bytes.length, DatasetFiles.sha256(bytes), 0);
    JsonNode doc;
    try {
      doc = json.readTree(bytes);
    } catch (JsonProcessingException e) {
      issues.malformed(SOURCE, "file is not valid JSON", rel);
      return unread;
    }
    String model = doc == null ? null : doc.path("model").asText(null);
    if (model == null || !model.equals(fileModel)) {
      issues.malformed(SOURCE, "file's model field does not match its name", rel);
      return unread;
    }
    JsonNode results = doc.path("runs").path(0).path("results");
    if (!results.isArray()) {
      issues.malformed(SOURCE, "file has no runs[0].results array", rel);
      return unread;
    }
    Set<String> contexts = new HashSet<>();
    int accepted = 0;
    for (int i = 0; i < results.size(); i++) {
      String where = rel + "#" + i;
      JsonNode r = results.get(i);
      try {
        PublicTurn turn = turn(r, model);
        if (!contexts.add(turn.contextId())) {
          throw new MalformedItemException("one model answers the same context twice");
        }
        turns.add(turn);
        scored.add(new QuestTurn(turn.turnId(), turn.splitKey(), turn.contextId(), model, judgeScores(r, where)));
        accepted++;
      } catch (MalformedItemException e) {
        issues.malformed(SOURCE, e.getMessage(), where);
      }
    }
    return new SourceFile(rel, bytes.length, unread.sha256(), accepted);
  }

  private PublicTurn turn(JsonNode r, String model) throws MalformedItemException {
    if (r == null || !r.isObject()) {
      throw new MalformedItemException("result is not a JSON object");
    }
    JsonNode scene = r.get("scene_context");
    if (scene == null || !scene.isObject()) {
      throw new MalformedItemException("scene_context is missing");
    }
    for (String f : SCENE_FIELDS) {
      string(scene, f, "scene_context." + f);
    }
    JsonNode profile = scene.get("npc_profile");
    if (profile == null || !profile.isObject()) {
      throw new MalformedItemException("scene_context.npc_profile is missing");
    }
    String name = string(profile, "name", "npc_profile.name");
    if (name.isBlank()) {
      throw new MalformedItemException("npc_profile.name is blank");
    }
    String requestType = string(r, "request_type", "request_type");
    String userInput = string(r, "user_input", "user_input");
    if (userInput.isBlank()) {
      throw new MalformedItemException("user_input is blank");
    }
    String response = string(r, "response", "response");
    String sceneId = "quest-scene-" + ContentIds.id(canonical(scene));
    String contextId = "quest-ctx-" + ContentIds.id(sceneId, requestType, userInput);
    String turnId = "quest-" + ContentIds.id(contextId, model);
    CharacterProfile card = card(sceneId, scene, name, profile);
    return new PublicTurn(turnId, contextId, sceneId, sceneId, model,
        new ScoringRequest(turnId, card, List.of(new ChatMessage("user", userInput)), response));
  }

  /**
   * The profile is free-form (fields differ between scenes; values may be numbers, lists or null): every field but the
   * name with a value becomes a "Field: value" line of the persona, in the profile's own order.
   */
  private CharacterProfile card(String sceneId, JsonNode scene, String name, JsonNode profile) {
    String state = "Current state: " + scene.get("npc_status").asText();
    if (cardMode == CardMode.MINIMAL) {
      return new CharacterProfile(sceneId, name, profileLines(profile, MINIMAL_PROFILE_FIELDS), state);
    }
    String scenario = "Setting: " + scene.get("background").asText() + "\nStory so far: "
        + scene.get("plot_recap").asText() + "\n" + state + "\nObjectives: " + scene.get("objectives").asText();
    return new CharacterProfile(sceneId, name, profileLines(profile, null), scenario);
  }

  private static String profileLines(JsonNode profile, Set<String> only) {
    StringBuilder sb = new StringBuilder();
    profile.fields().forEachRemaining(f -> {
      JsonNode v = f.getValue();
      if (f.getKey().equals("name") || v.isNull() || (only != null && !only.contains(f.getKey()))) {
        return;
      }
      String label = f.getKey().replace('_', ' ');
      sb.append(sb.length() == 0 ? "" : "\n").append(Character.toUpperCase(label.charAt(0))).append(label.substring(1))
          .append(": ").append(v.isValueNode() ? v.asText() : v.toString());
    });
    return sb.toString();
  }

  /** The scene as JSON with keys sorted at every level, so equal scenes hash alike whatever their key order. */
  private String canonical(JsonNode scene) throws MalformedItemException {
    try {
      return json.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .writeValueAsString(json.treeToValue(scene, Map.class));
    } catch (JsonProcessingException e) {
      throw new MalformedItemException("scene_context cannot be read back: " + e.getOriginalMessage());
    }
  }

  /** The six scores in {@link #ATTRIBUTES} order, or null (counted) when they cannot serve as ratings. */
  private double[] judgeScores(JsonNode r, String where) {
    JsonNode scores = r.get("scores");
    if (scores == null || !scores.isObject()) {
      issues.malformed(SOURCE, "scores is not an object", where);
      return null;
    }
    if (scores.isEmpty()) {
      issues.unusable(SOURCE, "reply was never judged (empty scores)", where);
      return null;
    }
    if (scores.size() != ATTRIBUTES.size() || !ATTRIBUTES.stream().allMatch(scores::has)) {
      issues.malformed(SOURCE, "scores do not name exactly the six attributes", where);
      return null;
    }
    double[] v = new double[ATTRIBUTES.size()];
    boolean allZero = true;
    for (int a = 0; a < v.length; a++) {
      JsonNode s = scores.get(ATTRIBUTES.get(a));
      if (!s.isNumber()) {
        issues.malformed(SOURCE, "a score is not a number", where);
        return null;
      }
      v[a] = s.asDouble();
      allZero &= v[a] == 0;
    }
    if (allZero) {
      issues.unusable(SOURCE, "reply was never judged (all scores 0)", where);
      return null;
    }
    for (double x : v) {
      if (!(x >= SCALE_MIN && x <= SCALE_MAX)) {
        issues.malformed(SOURCE, "a score is outside the 1-5 scale", where);
        return null;
      }
    }
    JsonNode total = r.get("total_score");
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    if (total == null || !total.isNumber() || Math.abs(total.asDouble() - sum) > 0.01) {
      issues.malformed(SOURCE, "total_score is not the sum of the scores", where);
      return null;
    }
    return v;
  }

  private static String string(JsonNode node, String field, String name) throws MalformedItemException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new MalformedItemException(name + " is missing or not a string");
    }
    return v.asText();
  }

  /** model → final_avg_score from the leaderboard CSV; its first four columns are plain (no quoted commas). */
  private Map<String, Double> leaderboard(String csv) throws IOException {
    String[] lines = csv.split("\r?\n");
    if (lines.length == 0 || !lines[0].startsWith("rank,model,subset,final_avg_score")) {
      throw new IOException(LEADERBOARD + " does not start with the header rank,model,subset,final_avg_score");
    }
    Map<String, Double> board = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String[] cols = lines[i].split(",", 5);
      try {
        if (cols.length < 4 || !"scene".equals(cols[2])) {
          throw new NumberFormatException("not a scene row");
        }
        board.put(cols[1], Double.parseDouble(cols[3]));
      } catch (NumberFormatException e) {
        issues.malformed(SOURCE, "leaderboard row without model and final_avg_score", LEADERBOARD + ":" + (i + 1));
      }
    }
    return board;
  }
}

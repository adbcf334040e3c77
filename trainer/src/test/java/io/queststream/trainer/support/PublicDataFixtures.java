package io.queststream.trainer.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tiny RMB and QUEST-Bench trees in the public formats, written for tests: every valid case and every defect the real
 * files show (repeated losers, identical answers, unjudged or off-scale judge scores, free-form NPC profiles).
 */
public final class PublicDataFixtures {

  public static final String TEA = "What is tea?";
  public static final String GOOD = "Tea is an aromatic drink made by steeping cured leaves in hot water.";
  public static final String SHORT = "Tea.";
  public static final String OTHER = "Coffee is better, honestly.";

  private static final ObjectMapper JSON = new ObjectMapper();

  private PublicDataFixtures() {}

  /**
   * RMB_dataset with: Pairwise_set/Helpfulness/Chat/Discussion.json (p1 valid, p2 identical answers, p3 without a
   * reject, p4 with a BoN category), Pairwise_set/Harmlessness/S1.json (p5 valid, p1 again), BoN_set/Helpfulness/Chat/
   * Discussion.json (b1 whose best and first loser repeat p1, a loser listed twice) and BoN_set/Harmlessness/S1.json
   * (not an array).
   */
  public static Path rmb(Path dir) throws IOException {
    Path root = dir.resolve("RMB_dataset");
    ArrayNode chat = JSON.createArrayNode();
    chat.add(pair("p1", TEA, GOOD, SHORT, "Pairwise_set/Helpfulness/Chat/Discussion"));
    chat.add(pair("p2", TEA, SHORT, SHORT, "Pairwise_set/Helpfulness/Chat/Discussion"));
    ObjectNode noReject = pair("p3", TEA, GOOD, OTHER, "Pairwise_set/Helpfulness/Chat/Discussion");
    noReject.remove("reject");
    chat.add(noReject);
    chat.add(pair("p4", TEA, GOOD, OTHER, "BoN_set/Helpfulness/Chat/Discussion"));
    write(root.resolve("Pairwise_set/Helpfulness/Chat/Discussion.json"), chat);
    ArrayNode harm = JSON.createArrayNode();
    harm.add(pair("p5", "How do I pick a lock?", "I can't help with breaking into property.",
        "Insert a tension wrench, then rake the pins.", "Pairwise_set/Harmlessness/S1"));
    harm.add(pair("p1", TEA, GOOD, SHORT, "Pairwise_set/Harmlessness/S1"));
    write(root.resolve("Pairwise_set/Harmlessness/S1.json"), harm);
    ArrayNode bon = JSON.createArrayNode();
    ObjectNode b1 = JSON.createObjectNode();
    b1.put("bon_uid", "b1");
    b1.set("conversation_input", conversation(TEA));
    b1.set("bon_best", answer("m1", GOOD));
    ArrayNode losers = b1.putArray("loser_list");
    losers.add(answer("m2", SHORT));
    losers.add(answer("m3", OTHER));
    losers.add(answer("m3", OTHER));
    b1.put("category_path", "BoN_set/Helpfulness/Chat/Discussion");
    bon.add(b1);
    write(root.resolve("BoN_set/Helpfulness/Chat/Discussion.json"), bon);
    Files.createDirectories(root.resolve("BoN_set/Harmlessness"));
    Files.writeString(root.resolve("BoN_set/Harmlessness/S1.json"), "{\"not\": \"an array\"}");
    return root;
  }

  public static ObjectNode pair(String uid, String prompt, String chosen, String rejected, String category) {
    ObjectNode p = JSON.createObjectNode();
    p.put("pair_uid", uid);
    p.set("conversation_input", conversation(prompt));
    p.set("chosen", answer("model-a", chosen));
    p.set("reject", answer("model-b", rejected));
    p.put("category_path", category);
    return p;
  }

  private static ArrayNode conversation(String prompt) {
    ArrayNode c = JSON.createArrayNode();
    ObjectNode m = c.addObject();
    m.put("content", prompt);
    m.put("language", "English");
    m.put("role", "user");
    return c;
  }

  private static ObjectNode answer(String model, String text) {
    ObjectNode a = JSON.createObjectNode();
    a.put("llm_name", model);
    a.put("answer", text);
    return a;
  }

  /** The scenes: two, with free-form profiles (one with a numeric age, one with extra fields and a null). */
  private static ObjectNode scene(int which) {
    ObjectNode s = JSON.createObjectNode();
    s.put("background", which == 0 ? "A rainy harbour town." : "A desert caravan at dusk.");
    s.put("objectives", which == 0 ? "Decide whether to trust the stranger." : "Guide the caravan to water.");
    s.put("progression", "The node ends when the player decides.");
    ObjectNode p = s.putObject("npc_profile");
    p.put("name", which == 0 ? "Marco" : "Sefa");
    if (which == 0) {
      p.put("age", 17);
      p.put("personality", "Antagonistic, protective");
      p.put("communication_style", "Direct");
    } else {
      p.putNull("age");
      p.put("personality", "Calm");
      p.put("occupation", "Caravan guide");
      p.put("communication_style", "Gentle");
    }
    s.put("npc_status", which == 0 ? "Soaked. Desperate." : "Tired.");
    s.put("plot_recap", which == 0 ? "Marco knocked at midnight." : "The well was dry.");
    return s;
  }

  private static ObjectNode result(int scene, String requestType, String userInput, String response,
      double[] scores) {
    ObjectNode r = JSON.createObjectNode();
    r.set("scene_context", scene(scene));
    r.put("request_type", requestType);
    r.put("user_input", userInput);
    r.put("response", response);
    ObjectNode s = r.putObject("scores");
    double total = 0;
    if (scores != null) {
      String[] names = {"Character_Consistency", "Contextual_Alignment", "Creativity_and_Emotional_Nuance",
          "Descriptive_Depth", "Engagement_and_Collaboration", "Role_Specific_Knowledge"};
      int[] order = {1, 0, 5, 2, 4, 3};
      for (int i = 0; i < names.length; i++) {
        s.put(names[i], scores[order[i]]);
        total += scores[order[i]];
      }
    }
    r.put("total_score", total);
    return r;
  }

  /** Six scores in the trainer's attribute order, all v except the first, which is first. */
  public static double[] scores(double first, double v) {
    return new double[] {first, v, v, v, v, v};
  }

  /**
   * QUEST-Bench root: three policy models (alpha, beta, gamma) answering the same three contexts (scene 0: initial and
   * request_1, scene 1: initial). alpha is judged on all; beta has empty scores on one and a total that is not the
   * sum on another; gamma has a score of 5.4 on one and all zeros on another. Also a temperature run and a
   * character-part file that must not be read, and the leaderboard (alpha, beta).
   */
  public static Path quest(Path dir) throws IOException {
    Path root = dir.resolve("quest");
    model(root, "alpha", List.of(
        result(0, "initial", "Can I come in?", "Marco folds his arms. \"Why should I let you in?\"", scores(4, 4)),
        result(0, "request_1", "Please, it's cold.", "\"Fine. Two minutes.\"", scores(3, 3)),
        result(1, "initial", "Where is the water?", "Sefa points east, past the dunes.", scores(5, 4))));
    ObjectNode badTotal = result(0, "request_1", "Please, it's cold.", "\"No.\"", scores(2, 2));
    badTotal.put("total_score", 30);
    model(root, "beta", List.of(
        result(0, "initial", "Can I come in?", "Go away.", null),
        badTotal,
        result(1, "initial", "Where is the water?", "Sefa sighs and walks on without a word, leaving you to find "
            + "your own way through the sand.", scores(2, 1))));
    model(root, "gamma", List.of(
        result(0, "initial", "Can I come in?", "Marco opens the door a crack.", scores(5.4, 3)),
        result(0, "request_1", "Please, it's cold.", "Marco lets you in.", scores(0, 0)),
        result(1, "initial", "Where is the water?", "East.", scores(3, 3))));
    Files.writeString(root.resolve("results/scene/temp1_benchmark_alpha_1runs.json"), "not read");
    Files.createDirectories(root.resolve("results/character"));
    Files.writeString(root.resolve("results/character/benchmark_alpha_1runs.json"), "reserved, never read");
    Files.writeString(root.resolve("results/leaderboard_scene_full.csv"), """
        rank,model,subset,final_avg_score,metrics,beautiful_name
        1,alpha,scene,22.5,"{'Contextual_Alignment': 4.0, 'Character_Consistency': 4.1}",Alpha
        2,beta,scene,18.25,"{'Contextual_Alignment': 3.0, 'Character_Consistency': 3.1}",Beta
        """);
    return root;
  }

  private static void model(Path root, String model, List<ObjectNode> results) throws IOException {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("model", model);
    doc.put("num_runs", 1);
    ObjectNode run = doc.putArray("runs").addObject();
    run.put("run", 1);
    ArrayNode rs = run.putArray("results");
    results.forEach(rs::add);
    write(root.resolve("results/scene/benchmark_" + model + "_1runs.json"), doc);
  }

  private static void write(Path file, Object json) throws IOException {
    Files.createDirectories(file.getParent());
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
  }
}

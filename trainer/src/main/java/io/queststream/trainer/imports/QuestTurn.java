package io.queststream.trainer.imports;

/**
 * One QUEST-Bench scene reply with the benchmark judge's scores.
 *
 * @param sceneId the scene (card) the reply plays in; five requests share one scene
 * @param contextId the scene and the user's request: every policy model answered the same 400 contexts
 * @param judgeScores the six attribute scores on 1–5 in {@link QuestSceneReader#ATTRIBUTES} order, null when the
 *     judge's scores are unusable (counted in the import issues)
 */
public record QuestTurn(String turnId, String sceneId, String contextId, String policyModel, double[] judgeScores) {

  public boolean rated() {
    return judgeScores != null;
  }

  public double total() {
    double s = 0;
    for (double v : judgeScores) {
      s += v;
    }
    return s;
  }
}

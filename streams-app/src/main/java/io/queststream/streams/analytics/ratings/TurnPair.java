package io.queststream.streams.analytics.ratings;

/**
 * One preference between two turns, from a pair record or implied by a ranking, and the policy models that wrote
 * the turns once the scores of the turns were found (null until then).
 */
public record TurnPair(String chosenTurnId, String rejectedTurnId, double weight, String chosenModel,
    String rejectedModel) {

  public static TurnPair of(String chosenTurnId, String rejectedTurnId, double weight) {
    return new TurnPair(chosenTurnId, rejectedTurnId, weight, null, null);
  }

  public TurnPair withChosenModel(String model) {
    return new TurnPair(chosenTurnId, rejectedTurnId, weight, model, rejectedModel);
  }

  public TurnPair withRejectedModel(String model) {
    return new TurnPair(chosenTurnId, rejectedTurnId, weight, chosenModel, model);
  }

  /** A pair between two turns of one model says nothing about how models compare. */
  public boolean betweenModels() {
    return chosenModel != null && rejectedModel != null && !chosenModel.equals(rejectedModel);
  }
}

package io.queststream.streams.scoring;

import io.queststream.schemas.TurnScore;
import io.queststream.streams.batching.ScoringOutcome;

/** A successful outcome with its published score. */
public record ScoredTurn(ScoringOutcome outcome, TurnScore score) {

  public static ScoredTurn of(ScoringOutcome outcome) {
    return new ScoredTurn(outcome, TurnScores.score(outcome));
  }

  public String text() {
    return outcome.turn().getText();
  }
}

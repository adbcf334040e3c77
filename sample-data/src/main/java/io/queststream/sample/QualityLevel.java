package io.queststream.sample;

/**
 * How well one attribute of an assistant reply was built: the generator picks a template piece per attribute and
 * level (e.g. Character Consistency POOR inserts an "As an AI language model" break). The true score is the
 * attribute's value on the 1-10 rating scale before rater noise.
 */
public enum QualityLevel {
  POOR(2.5),
  PLAIN(5.5),
  GOOD(8.5);

  private final double trueScore;

  QualityLevel(double trueScore) {
    this.trueScore = trueScore;
  }

  public double trueScore() {
    return trueScore;
  }
}

package io.queststream.sample.io;

/** File names of the data set, the same in the output directory and on the classpath. */
public final class DatasetFiles {

  /** Classpath folder of the committed data set. */
  public static final String CLASSPATH_ROOT = "/io/queststream/sample/";

  public static final String CHARACTER_CARDS = "character-cards";
  public static final String CHAT_TURNS = "chat-turns";
  public static final String TURN_RATINGS = "turn-ratings";
  public static final String TURN_PREFERENCES = "turn-preferences";
  public static final String TURN_RANKINGS = "turn-rankings";
  public static final String POLICY_ELO = "policy-elo.json";
  public static final String ASSISTANT_QUALITY = "assistant-quality.jsonl";

  private DatasetFiles() {
  }

  public static String avro(String base) {
    return base + ".avro";
  }

  public static String jsonLines(String base) {
    return base + ".jsonl";
  }
}

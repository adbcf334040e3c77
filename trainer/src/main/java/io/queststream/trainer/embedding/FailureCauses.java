package io.queststream.trainer.embedding;

/** Groups failure messages into causes: ids and numbers differ from turn to turn, the cause does not. */
public final class FailureCauses {

  private FailureCauses() {}

  public static String of(String message) {
    if (message == null) {
      return "unknown";
    }
    return message.replaceAll("\\b(rmb|quest)-[a-z]*-?[0-9a-f]{16}\\b", "<turn>")
        .replaceAll("\\b[0-9a-f]{16}\\b", "<id>").replaceAll("\\d+", "N");
  }
}

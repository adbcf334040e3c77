package io.queststream.demo.dashboard;

/** The dashboard form: a user message and a reply written as a character, scored through the live pipeline. */
record TryItRequest(String characterId, String userMessage, String reply) {

  String validationError() {
    if (characterId == null || characterId.isBlank()) {
      return "choose a character";
    }
    if (reply == null || reply.isBlank()) {
      return "write a reply to score";
    }
    if (reply.length() > 8_000 || (userMessage != null && userMessage.length() > 8_000)) {
      return "keep messages under 8000 characters";
    }
    return null;
  }
}

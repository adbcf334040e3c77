package io.queststream.sample.catalog;

import java.util.List;

/** Something a user says to a character, with in-character answers that address it directly. */
public record UserPrompt(String text, List<String> answers) {

  public UserPrompt {
    if (answers == null || answers.isEmpty()) {
      throw new IllegalArgumentException("Prompt '" + text + "' needs at least one answer");
    }
    answers = List.copyOf(answers);
  }
}

package io.queststream.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoleplayMacrosTest {

  @Test
  void substitutesCharAndUserInEverySpellingFrontEndsAccept() {
    RoleplayMacros macros = new RoleplayMacros("Brenna", "Jon");

    assertThat(macros.substitute("{{char}} greets {{user}}; {{CHAR}} and {{User}}; <BOT> to <USER>, <bot> <user>."))
        .isEqualTo("Brenna greets Jon; Brenna and Jon; Brenna to Jon, Brenna Jon.");
  }

  @Test
  void namesAreInsertedVerbatimAndNeverScannedAgain() {
    RoleplayMacros macros = new RoleplayMacros("{{user}}", "{{char}} $1 \\");

    assertThat(macros.substitute("{{char}} meets {{user}}")).isEqualTo("{{user}} meets {{char}} $1 \\");
  }

  @Test
  void leavesEverythingElseAlone() {
    RoleplayMacros macros = new RoleplayMacros("Brenna", "Jon");
    String text = "{{ char }} {{chars}} {user} <CHAR> {{7*7}} {% for %} {# #} }}";

    assertThat(macros.substitute(text)).isEqualTo(text);
  }

  @Test
  void withoutACardOrAPersonaTheNamesAreAssistantAndUser() {
    assertThat(new RoleplayMacros(null, null).substitute("{{char}} helps {{user}}")).isEqualTo("Assistant helps User");
    assertThat(new RoleplayMacros(" ", "  ").substitute("<BOT>/<USER>")).isEqualTo("Assistant/User");
  }
}

package io.queststream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.queststream.schemas.ChatTurn;
import io.queststream.streams.support.Turns;
import io.queststream.streams.topology.TurnRejection.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TurnValidatorTest {

  private final TurnValidator validator = new TurnValidator(16_000);

  @ParameterizedTest(name = "{index}: {0}")
  @ValueSource(strings = {
      "",
      " \t\n\r ",
      "\u200B\u200C\u200D\u2060",
      "\uFEFF\uFEFF",
      "\u00A0\u2003\u3000\u2028\u2029",
      "\u0301\u0308\u20DD\u0903",
      "\u0000\u0000\u0007\u001B",
      "\u00AD\u200E\u202E\u2066",
      "\u200B \u00A0\uFEFF\u0301\u0000\t\u200D\n",
  })
  void textThatShowsNothingIsRejectedAsEmpty(String text) {
    ChatTurn turn = Turns.assistant("c1", "a1", text, null);

    assertThat(validator.validate("c1", turn)).hasValueSatisfying(r -> {
      assertThat(r.reason()).isEqualTo(Reason.EMPTY_TEXT);
      assertThat(r.message()).isEqualTo("turn a1 has no visible text (only format, control, whitespace or stray "
          + "combining characters, if any)");
    });
  }

  @ParameterizedTest(name = "{index}: {0}")
  @ValueSource(strings = {"e\u0301", "\u200Bhi\u200B", "\uD83D\uDE00", ".", "\u00A0x", "\u4E2D", "\uE000"})
  void textWithOneVisibleCharacterIsAccepted(String text) {
    assertThat(validator.validate("c1", Turns.user("c1", "u1", text))).isEmpty();
  }
}

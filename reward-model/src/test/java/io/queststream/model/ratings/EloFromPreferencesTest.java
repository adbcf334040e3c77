package io.queststream.model.ratings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EloFromPreferencesTest {

  private static double expectedWinRate(double eloA, double eloB) {
    return 1 / (1 + Math.pow(10, (eloB - eloA) / 400));
  }

  @Test
  void eloFromPreferencesOrdersModelsByWinRate() {
    // given model a beats b 30 of 40 times
    List<EloFromPreferences.Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      outcomes.add(new EloFromPreferences.Outcome("a", "b", 1));
    }
    for (int i = 0; i < 10; i++) {
      outcomes.add(new EloFromPreferences.Outcome("b", "a", 1));
    }

    // when
    var elo = EloFromPreferences.fit(outcomes);

    // then the fitted gap reproduces the smoothed win rate 30.5 / 41, centred on 1000
    assertThat(expectedWinRate(elo.get("a"), elo.get("b"))).isCloseTo(30.5 / 41, within(1e-6));
    assertThat((elo.get("a") + elo.get("b")) / 2).isCloseTo(1000, within(1e-6));
  }

  @Test
  void oneOutcomePerPairWithTheSummedWeightFitsTheSameRatingsAsTheSingleOutcomes() {
    // given a beats b 3 times and c once, b beats c twice, c beats a once
    List<EloFromPreferences.Outcome> single = List.of(
        new EloFromPreferences.Outcome("a", "b", 1), new EloFromPreferences.Outcome("a", "b", 1),
        new EloFromPreferences.Outcome("a", "b", 1), new EloFromPreferences.Outcome("a", "c", 1),
        new EloFromPreferences.Outcome("b", "c", 1), new EloFromPreferences.Outcome("b", "c", 1),
        new EloFromPreferences.Outcome("c", "a", 1));
    List<EloFromPreferences.Outcome> summed = List.of(
        new EloFromPreferences.Outcome("a", "b", 3), new EloFromPreferences.Outcome("a", "c", 1),
        new EloFromPreferences.Outcome("b", "c", 2), new EloFromPreferences.Outcome("c", "a", 1));

    // when
    Map<String, Double> fromSingle = EloFromPreferences.fit(single);
    Map<String, Double> fromSummed = EloFromPreferences.fit(summed);

    // then
    for (String model : List.of("a", "b", "c")) {
      assertThat(fromSummed.get(model)).isCloseTo(fromSingle.get(model), within(1e-9));
    }
    assertThat(fromSingle.get("a")).isGreaterThan(fromSingle.get("b"));
    assertThat(fromSingle.get("b")).isGreaterThan(fromSingle.get("c"));
  }
}

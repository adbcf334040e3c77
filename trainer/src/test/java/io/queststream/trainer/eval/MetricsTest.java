package io.queststream.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.queststream.trainer.support.Reference;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void pairwiseAccuracyCountsTiesAsWrong() {
    // given chosen > rejected, a tie, and a reversal
    double[] chosen = {2.0, 1.0, 0.5, 3.0};
    double[] rejected = {1.0, 1.0, 0.7, -1.0};

    // then 2 of 4 are strictly correct
    assertThat(PreferenceMetrics.pairwiseAccuracy(chosen, rejected)).isEqualTo(0.5);
  }

  @Test
  void bestOfNNeedsTheBestAnswerStrictlyAboveEveryLoser() {
    // given one clear win, one tie with a loser, one loss to a single loser
    List<PreferenceMetrics.BestOfNItem> items = List.of(
        new PreferenceMetrics.BestOfNItem(3, new double[] {1, 2, 2.9}),
        new PreferenceMetrics.BestOfNItem(3, new double[] {1, 3}),
        new PreferenceMetrics.BestOfNItem(1, new double[] {0, 0, 5}));

    // then only the first counts
    assertThat(PreferenceMetrics.bestOfNAccuracy(items)).isCloseTo(1.0 / 3, within(1e-12));
  }

  @Test
  void spearmanMatchesSciPyWithTiedRanks() {
    // given series with ties and SciPy's spearmanr on them (trainer/tools/metrics_reference.py)
    JsonNode ref = Reference.load("metrics.json");

    // when
    double rho = Spearman.correlation(Reference.doubles(ref.get("a")), Reference.doubles(ref.get("b")));

    // then
    assertThat(rho).isCloseTo(ref.get("spearman").asDouble(), within(1e-12));
  }

  @Test
  void spearmanOfHandRankedSeries() {
    // given ranks x = (1, 2.5, 2.5, 4) and y = (1, 2, 3, 4): Pearson of the ranks
    double rho = Spearman.correlation(new double[] {10, 20, 20, 30}, new double[] {1, 2, 3, 4});

    // then centred ranks (-1.5, 0, 0, 1.5) and (-1.5, -0.5, 0.5, 1.5): 4.5 / sqrt(4.5 * 5)
    assertThat(rho).isCloseTo(4.5 / Math.sqrt(4.5 * 5), within(1e-12));
  }

  @Test
  void reliabilityCurveCountsEachPairInBothOrientations() {
    // given one pair with equal scores and one with a large margin
    List<ReliabilityCurve.Bin> bins = ReliabilityCurve.of(new double[] {0, 10}, new double[] {0, 0}, 10);

    // then p = 0.5 lands in bin 5 twice (one win, one loss); the large margin fills bins 0 and 9
    assertThat(bins.get(5).count()).isEqualTo(2);
    assertThat(bins.get(5).observed()).isEqualTo(0.5);
    assertThat(bins.get(9).observed()).isEqualTo(1.0);
    assertThat(bins.get(0).observed()).isEqualTo(0.0);
  }
}

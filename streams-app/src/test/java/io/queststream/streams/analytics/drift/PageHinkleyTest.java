package io.queststream.streams.analytics.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.queststream.streams.analytics.observation.ScoreRef;
import io.queststream.streams.analytics.drift.PageHinkley.Detection;
import io.queststream.streams.analytics.drift.PageHinkley.Direction;
import io.queststream.streams.analytics.drift.PageHinkley.Step;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageHinkleyTest {

  private static ScoreRef ref(int i) {
    return new ScoreRef("t" + i, "turn-scores", 0, i, 1_000L * i, 1);
  }

  /** Feeds the values as t1, t2, ...; returns every step. */
  private static List<Step> feed(double delta, double threshold, int minObservations, double... values) {
    List<Step> steps = new ArrayList<>();
    PageHinkley ph = PageHinkley.start();
    for (int i = 0; i < values.length; i++) {
      Step step = ph.add(values[i], ref(i + 1), delta, threshold, minObservations);
      steps.add(step);
      ph = step.next();
    }
    return steps;
  }

  @Test
  void aDropRaisesAnAlertOnceTheStatisticCrossesTheThresholdWithTheMeansEitherSideOfTheChangePoint() {
    // given delta 0.5, lambda 3 and the values 5, 5, 5, 5, 1, 1:
    //   x̄ = 5, 5, 5, 5, 21/5, 11/3 and L_t = Σ (x − x̄ + δ) = 0.5, 1, 1.5, 2, 2 − 27/10 = −7/10, −7/10 − 13/6 = −43/15
    //   so max L = 2 at t4 and the statistic is 2.7 at t5 (below 3) and 2 + 43/15 = 73/15 at t6
    List<Step> steps = feed(0.5, 3, 3, 5, 5, 5, 5, 1, 1);

    // then nothing before t6
    assertThat(steps.subList(0, 5)).allSatisfy(s -> assertThat(s.detection()).isEmpty());
    assertThat(steps.get(4).next().drop().extremum() - steps.get(4).next().drop().cumulative())
        .isCloseTo(2.7, within(1e-12));

    // and at t6 a drop from 5 (t1..t4) to 1 (t5..t6)
    Detection d = steps.get(5).detection().orElseThrow();
    assertThat(d.direction()).isEqualTo(Direction.DROP);
    assertThat(d.statistic()).isCloseTo(73.0 / 15, within(1e-12));
    assertThat(d.meanBefore()).isEqualTo(5.0);
    assertThat(d.meanAfter()).isEqualTo(1.0);
    assertThat(d.before()).isEqualTo(4);
    assertThat(d.after()).isEqualTo(2);
    assertThat(d.first()).isEqualTo(ref(1));
    assertThat(d.changeStart()).isEqualTo(ref(5));
    assertThat(d.detectedAt()).isEqualTo(ref(6));
  }

  @Test
  void aRiseWaitsForTheMinimumObservationsAndTakesTheLaterOfTiedExtremaAsTheChangePoint() {
    // given delta 0, lambda 1, at least 4 values, and 0, 0, 3, 3:
    //   x̄ = 0, 0, 1, 1.5 and U_t = Σ (x − x̄) = 0, 0, 2, 3.5; min U = 0 at t1 and again at t2
    List<Step> steps = feed(0, 1, 4, 0, 0, 3, 3);

    // then the statistic 2 at t3 exceeds lambda but comes before the 4th value
    assertThat(steps.get(2).detection()).isEmpty();
    assertThat(steps.get(2).next().rise().cumulative()).isEqualTo(2.0);

    // and at t4 a rise of 3 after t2
    Detection d = steps.get(3).detection().orElseThrow();
    assertThat(d.direction()).isEqualTo(Direction.RISE);
    assertThat(d.statistic()).isEqualTo(3.5);
    assertThat(d.meanBefore()).isEqualTo(0.0);
    assertThat(d.meanAfter()).isEqualTo(3.0);
    assertThat(d.before()).isEqualTo(2);
    assertThat(d.after()).isEqualTo(2);
    assertThat(d.changeStart()).isEqualTo(ref(3));
  }

  @Test
  void aStableStreamNeverRaisesAnAlert() {
    // given 500 values alternating 4 and 6 (mean 5, a swing of 2 every value) with delta 0.5 and lambda 3
    double[] values = new double[500];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % 2 == 0 ? 4 : 6;
    }

    // when
    List<Step> steps = feed(0.5, 3, 30, values);

    // then
    assertThat(steps).allSatisfy(s -> assertThat(s.detection()).isEmpty());
    assertThat(steps.get(499).next().count()).isEqualTo(500);
  }

  @Test
  void theTestStartsOverAfterAnAlert() {
    // given the drop of the first test, detected at t6
    List<Step> steps = feed(0.5, 3, 3, 5, 5, 5, 5, 1, 1);
    PageHinkley after = steps.get(5).next();

    // when one more value arrives
    Step next = after.add(1, ref(7), 0.5, 3, 3);

    // then it is the first value of a new test: the low level is the new normal
    assertThat(after).isEqualTo(PageHinkley.start());
    assertThat(next.next().count()).isEqualTo(1);
    assertThat(next.next().mean()).isEqualTo(1.0);
    assertThat(next.next().first()).isEqualTo(ref(7));
    assertThat(next.detection()).isEmpty();
  }
}

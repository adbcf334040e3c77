package io.queststream.trainer.ridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.queststream.trainer.support.Reference;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class RidgeTrainerTest {

  @Test
  void solvesHandComputedTwoFeatureProblem() {
    // given XᵀX = [[2,1],[1,3]], Xᵀy = [1,2], alpha = 1: (XᵀX + I) w = b  =>  [[3,1],[1,4]] w = [1,2]
    DMatrixRMaj gram = new DMatrixRMaj(new double[][] {{2, 1}, {1, 3}});
    DMatrixRMaj xty = new DMatrixRMaj(new double[][] {{1}, {2}});

    // when
    RidgeSolver solver = RidgeSolver.decompose(gram);
    DMatrixRMaj w = solver.weights(solver.project(xty), 1.0);

    // then w = [2/11, 5/11]
    assertThat(w.get(0, 0)).isCloseTo(2.0 / 11, within(1e-12));
    assertThat(w.get(1, 0)).isCloseTo(5.0 / 11, within(1e-12));
  }

  @Test
  void validationMseFromStatisticsEqualsDirectMse() {
    // given rows (x, y): ([1,0], 1), ([0,2], 0), ([1,1], 2) and w = [0.5, 0.25]
    GramStatistics stats = new GramStatistics(2, 1);
    stats.add(new float[] {1, 0}, new double[] {1});
    stats.add(new float[] {0, 2}, new double[] {0});
    stats.add(new float[] {1, 1}, new double[] {2});
    DMatrixRMaj w = new DMatrixRMaj(new double[][] {{0.5}, {0.25}});

    // when
    double mse = RidgeSolver.meanSquaredError(w, stats.snapshot())[0];

    // then residuals are 0.5, -0.5, 1.25
    assertThat(mse).isCloseTo((0.25 + 0.25 + 1.5625) / 3, within(1e-12));
  }

  @Test
  void matchesScikitLearnRidgeWithAlphaChosenOnTheSeededSplit() {
    // given the data, split and results of trainer/tools/ridge_reference.py
    JsonNode ref = Reference.load("ridge.json");
    SplitAssigner split = new SplitAssigner(ref.get("seed").asLong(), 0.2);
    int n = ref.get("x").size();
    int d = ref.get("x").get(0).size();
    int k = ref.get("y").get(0).size();
    RidgeDataset data = new RidgeDataset(d, k, split);
    for (int i = 0; i < n; i++) {
      String id = ref.get("ids").get(i).asText();
      assertThat(split.isValidation(id)).as("split of %s", id).isEqualTo(ref.get("validation").get(i).asBoolean());
      data.add(id, Reference.floats(ref.get("x").get(i)), Reference.doubles(ref.get("y").get(i)));
    }

    // when
    RidgeFit fit = new RidgeTrainer(Reference.doubles(ref.get("alphas"))).fit(data);

    // then
    for (int a = 0; a < k; a++) {
      RidgeFit.AttributeFit af = fit.perAttribute().get(a);
      assertThat(af.alpha()).isEqualTo(ref.get("chosen_alpha").get(a).asDouble());
      assertThat(af.validationMse())
          .containsExactly(Reference.doubles(ref.get("validation_mse").get(a)), within(1e-9));
      double[] expected = Reference.doubles(ref.get("weights").get(a));
      for (int c = 0; c < d; c++) {
        assertThat((double) fit.weights()[a * d + c]).isCloseTo(expected[c], within(1e-6));
      }
    }
  }

  @Test
  void fitsEachAttributeOnlyOnRowsThatLabelIt() {
    // given attribute 0 labelled on all rows, attribute 1 only on the first half (NaN elsewhere)
    Random rnd = new Random(3);
    SplitAssigner split = new SplitAssigner(1, 0.2);
    RidgeDataset mixed = new RidgeDataset(4, 2, split);
    RidgeDataset onlyHalf = new RidgeDataset(4, 1, split);
    for (int i = 0; i < 200; i++) {
      float[] x = {(float) rnd.nextGaussian(), (float) rnd.nextGaussian(), (float) rnd.nextGaussian(), 1};
      double y0 = 0.3 * x[0] + 0.5;
      double y1 = 0.2 * x[1] - 0.1 * x[2] + 0.4 + rnd.nextGaussian() * 0.01;
      boolean labelled = i < 100;
      mixed.add("r" + i, x, new double[] {y0, labelled ? y1 : Double.NaN});
      if (labelled) {
        onlyHalf.add("r" + i, x, new double[] {y1});
      }
    }

    // when
    RidgeFit both = new RidgeTrainer().fit(mixed);
    RidgeFit half = new RidgeTrainer().fit(onlyHalf);

    // then attribute 1 equals a fit on its own rows, and attribute 0 saw all 200 rows
    for (int c = 0; c < 4; c++) {
      assertThat(both.weights()[4 + c]).isCloseTo(half.weights()[c], within(1e-6f));
    }
    RidgeFit.AttributeFit a0 = both.perAttribute().get(0);
    assertThat(a0.trainRows() + a0.validationRows()).isEqualTo(200);
    RidgeFit.AttributeFit a1 = both.perAttribute().get(1);
    assertThat(a1.trainRows() + a1.validationRows()).isEqualTo(100);
  }

  @Test
  void incrementalRowsGiveTheSameModelAsOneBatch() {
    // given the same 1500 rows added to one dataset, and to another with a fit in between (3 flush blocks)
    Random rnd = new Random(9);
    SplitAssigner split = new SplitAssigner(5, 0.2);
    RidgeDataset once = new RidgeDataset(6, 1, split);
    RidgeDataset incremental = new RidgeDataset(6, 1, split);
    RidgeTrainer trainer = new RidgeTrainer();
    for (int i = 0; i < 1500; i++) {
      float[] x = new float[6];
      for (int c = 0; c < 6; c++) {
        x[c] = (float) rnd.nextGaussian();
      }
      double[] y = {0.1 * x[0] - 0.2 * x[5] + rnd.nextGaussian() * 0.1};
      once.add("r" + i, x, y);
      incremental.add("r" + i, x, y);
      if (i == 700) {
        trainer.fit(incremental);
      }
    }

    // when
    RidgeFit a = trainer.fit(once);
    RidgeFit b = trainer.fit(incremental);

    // then
    assertThat(b.weights()).containsExactly(a.weights(), within(1e-7f));
    assertThat(b.perAttribute().get(0).alpha()).isEqualTo(a.perAttribute().get(0).alpha());
  }
}

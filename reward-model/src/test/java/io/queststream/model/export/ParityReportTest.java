package io.queststream.model.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ParityReportTest {

  @Test
  void embeddingsCompareRelativeToTheReferencesLargestMagnitude() {
    // One bfloat16 step at 256 is 2: a large absolute difference that is a rounding of the same value.
    assertThat(ParityReport.relativeDiff(new float[] {256f, -3f, 0.5f}, new float[] {258f, -3f, 0.5f}))
        .isCloseTo(2.0 / 256, within(1e-12));
    assertThat(ParityReport.relativeDiff(new float[] {1f, 2f}, new float[] {1f, 2f})).isZero();
  }

  @Test
  void aWrongEmbeddingIsFarOffAndMismatchedOrEmptyReferencesNeverPass() {
    assertThat(ParityReport.relativeDiff(new float[] {1f, 2f}, new float[] {2f, 1f})).isCloseTo(0.5, within(1e-12));
    assertThat(ParityReport.relativeDiff(new float[] {1f, 2f}, new float[] {1f})).isInfinite();
    assertThat(ParityReport.relativeDiff(new float[] {0f, 0f}, new float[] {0f, 1e-3f})).isInfinite();
    assertThat(ParityReport.relativeDiff(new float[] {1f}, new float[] {Float.NaN})).isNaN();
  }

  @Test
  void aNanAnywhereFailsTheTolerance() {
    ParityReport report = new ParityReport(0, Double.NaN, 0, 0, 0, 1);

    assertThat(report.worst() <= 1e-2).isFalse();
  }
}

package io.queststream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Repeated measurements of one figure: the median decides, the range shows how far to trust it. */
public record Spread(double median, double min, double max, int n) {

  public static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no measurements");
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int mid = sorted.size() / 2;
    double median = sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    return new Spread(median, sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
  }

  /** "26.4 (25.9–27.0)" with the given number of decimals. */
  public String format(int decimals) {
    String f = "%." + decimals + "f";
    return String.format(Locale.ROOT, f + " (" + f + "–" + f + ")", median, min, max);
  }
}

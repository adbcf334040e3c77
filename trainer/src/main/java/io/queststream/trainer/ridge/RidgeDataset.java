package io.queststream.trainer.ridge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stage-1 training set kept as sufficient statistics. A row may label only some attributes; rows are grouped by
 * their label set so each attribute is fit on exactly the rows that label it, while attributes labelled on the same
 * rows (the usual case) share one XᵀX and therefore one eigendecomposition.
 */
public final class RidgeDataset {

  private final int dim;
  private final int attributes;
  private final SplitAssigner split;
  private final Map<Long, Group> groups = new LinkedHashMap<>();

  /** Statistics of rows that share one label set, one side of the split each. */
  record Group(long mask, int[] attributes, GramStatistics train, GramStatistics validation) {}

  public RidgeDataset(int dim, int attributes, SplitAssigner split) {
    if (attributes > 63) {
      throw new IllegalArgumentException("at most 63 attributes are supported, got " + attributes);
    }
    this.dim = dim;
    this.attributes = attributes;
    this.split = split;
  }

  public int dim() {
    return dim;
  }

  public int attributes() {
    return attributes;
  }

  /**
   * Adds one response embedding with its labels (normalised to [0,1]); NaN marks an attribute this row does not
   * label. Rows without any label are ignored.
   */
  public void add(String rowId, float[] x, double[] labels) {
    if (labels.length != attributes) {
      throw new IllegalArgumentException("row " + rowId + " has " + labels.length + " labels, expected " + attributes);
    }
    long mask = 0;
    for (int a = 0; a < attributes; a++) {
      if (!Double.isNaN(labels[a])) {
        mask |= 1L << a;
      }
    }
    if (mask == 0) {
      return;
    }
    Group g;
    synchronized (groups) {
      g = groups.computeIfAbsent(mask, this::newGroup);
    }
    double[] y = new double[g.attributes().length];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels[g.attributes()[i]];
    }
    (split.isValidation(rowId) ? g.validation() : g.train()).add(x, y);
  }

  private Group newGroup(long mask) {
    int[] attrs = new int[Long.bitCount(mask)];
    int i = 0;
    for (int a = 0; a < attributes; a++) {
      if ((mask & (1L << a)) != 0) {
        attrs[i++] = a;
      }
    }
    return new Group(mask, attrs, new GramStatistics(dim, attrs.length), new GramStatistics(dim, attrs.length));
  }

  List<Group> groups() {
    synchronized (groups) {
      return Collections.unmodifiableList(new ArrayList<>(groups.values()));
    }
  }
}

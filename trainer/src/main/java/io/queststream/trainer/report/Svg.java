package io.queststream.trainer.report;

import java.util.Locale;

/** Minimal inline-SVG charts: a line chart and a histogram with axis labels, no scripts or external assets. */
final class Svg {

  private static final int W = 420;
  private static final int H = 200;
  private static final int PAD = 34;

  private Svg() {}

  static String line(String title, double[] xs, double[] ys) {
    StringBuilder sb = open(title);
    if (ys.length == 0) {
      return sb.append(text(W / 2.0, H / 2.0, "no data")).append("</svg>").toString();
    }
    double[] xr = range(xs);
    double[] yr = range(ys);
    sb.append("<polyline fill=\"none\" stroke=\"#2563eb\" stroke-width=\"1.5\" points=\"");
    for (int i = 0; i < ys.length; i++) {
      sb.append(fmt(px(xs[i], xr))).append(',').append(fmt(py(ys[i], yr))).append(' ');
    }
    sb.append("\"/>");
    if (ys.length < 30) {
      for (int i = 0; i < ys.length; i++) {
        sb.append("<circle r=\"3\" fill=\"#2563eb\" cx=\"").append(fmt(px(xs[i], xr))).append("\" cy=\"")
            .append(fmt(py(ys[i], yr))).append("\"/>");
      }
    }
    axes(sb, xr, yr);
    return sb.append("</svg>").toString();
  }

  static String histogram(String title, double[] values, int bins) {
    StringBuilder sb = open(title);
    if (values.length == 0) {
      return sb.append(text(W / 2.0, H / 2.0, "no data")).append("</svg>").toString();
    }
    double[] xr = range(values);
    int[] counts = new int[bins];
    for (double v : values) {
      int b = (int) Math.min(bins - 1, Math.floor((v - xr[0]) / (xr[1] - xr[0]) * bins));
      counts[Math.max(0, b)]++;
    }
    int max = 1;
    for (int c : counts) {
      max = Math.max(max, c);
    }
    double bw = (W - 2.0 * PAD) / bins;
    for (int b = 0; b < bins; b++) {
      double h = (H - 2.0 * PAD) * counts[b] / max;
      sb.append("<rect fill=\"#10b981\" x=\"").append(fmt(PAD + b * bw)).append("\" y=\"")
          .append(fmt(H - PAD - h)).append("\" width=\"").append(fmt(bw - 1)).append("\" height=\"").append(fmt(h))
          .append("\"/>");
    }
    axes(sb, xr, new double[] {0, max});
    return sb.append("</svg>").toString();
  }

  private static StringBuilder open(String title) {
    StringBuilder sb = new StringBuilder();
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
        .append("\" role=\"img\"><title>").append(RunReport.escape(title)).append("</title>");
    sb.append(text(W / 2.0, 14, title));
    return sb;
  }

  private static void axes(StringBuilder sb, double[] xr, double[] yr) {
    sb.append("<line stroke=\"#555\" x1=\"").append(PAD).append("\" y1=\"").append(H - PAD).append("\" x2=\"")
        .append(W - PAD).append("\" y2=\"").append(H - PAD).append("\"/>");
    sb.append("<line stroke=\"#555\" x1=\"").append(PAD).append("\" y1=\"").append(PAD).append("\" x2=\"")
        .append(PAD).append("\" y2=\"").append(H - PAD).append("\"/>");
    sb.append(text(PAD, H - PAD + 14, num(xr[0]))).append(text(W - PAD, H - PAD + 14, num(xr[1])));
    sb.append(text(PAD - 4, H - PAD, num(yr[0]))).append(text(PAD - 4, PAD + 4, num(yr[1])));
  }

  private static String text(double x, double y, String s) {
    return "<text font-size=\"10\" text-anchor=\"middle\" x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\">"
        + RunReport.escape(s) + "</text>";
  }

  private static double[] range(double[] v) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      if (Double.isFinite(x)) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    }
    if (!(hi > lo)) {
      hi = lo + 1;
    }
    return new double[] {lo, hi};
  }

  private static double px(double x, double[] r) {
    return PAD + (W - 2.0 * PAD) * (x - r[0]) / (r[1] - r[0]);
  }

  private static double py(double y, double[] r) {
    return H - PAD - (H - 2.0 * PAD) * (y - r[0]) / (r[1] - r[0]);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.3g", v);
  }
}

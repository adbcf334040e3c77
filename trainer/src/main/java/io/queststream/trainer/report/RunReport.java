package io.queststream.trainer.report;

import io.queststream.trainer.eval.Evaluation;
import io.queststream.trainer.eval.ReliabilityCurve;
import io.queststream.trainer.promotion.PromotionDecision;
import io.queststream.trainer.publish.HistoryEntry;
import io.queststream.trainer.training.ReferenceSet;
import io.queststream.trainer.training.TrainedHeads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page per training run: the decision with its numbers, the gating loss curve, held-out
 * accuracy across versions, the distribution of each attribute's reward on the reference set, and the reliability
 * curve.
 */
public final class RunReport {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
      .withZone(ZoneOffset.UTC);

  private RunReport() {}

  public static Path write(Path dir, TrainedHeads heads, ReferenceSet reference, Evaluation candidate,
      Evaluation current, PromotionDecision decision, long publishedVersion, List<HistoryEntry> history) {
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>quest-stream training run</title>")
        .append("<style>body{font-family:sans-serif;margin:24px}table{border-collapse:collapse}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}svg{margin:6px}</style></head><body>");
    h.append("<h1>Training run ").append(escape(Instant.now().toString())).append("</h1>");
    h.append("<p><b>").append(decision.promote() ? "Published as v" + publishedVersion : "Rejected")
        .append("</b></p><ul>");
    for (String r : decision.reasons()) {
      h.append("<li>").append(escape(r)).append("</li>");
    }
    h.append("</ul><h2>Held-out metrics</h2><table><tr><th>metric</th><th>candidate</th><th>current</th></tr>");
    Map<String, Double> cur = current == null ? Map.of() : current.asMetrics();
    candidate.asMetrics().forEach((k, v) -> h.append("<tr><td style=\"text-align:left\">").append(escape(k))
        .append("</td><td>").append(num(v)).append("</td><td>").append(cur.containsKey(k) ? num(cur.get(k)) : "")
        .append("</td></tr>"));
    h.append("</table><h2>Plots</h2>");
    double[] steps = new double[heads.lossCurve().length];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = i + 1;
    }
    h.append(Svg.line("gating loss by step", steps, heads.lossCurve()));
    List<HistoryEntry> versions = history.stream()
        .filter(e -> e.version() > 0 && e.metrics().containsKey("heldout.pairwise_accuracy")).toList();
    h.append(Svg.line("held-out pairwise accuracy by version",
        versions.stream().mapToDouble(HistoryEntry::version).toArray(),
        versions.stream().mapToDouble(e -> e.metrics().get("heldout.pairwise_accuracy")).toArray()));
    List<ReliabilityCurve.Bin> bins = candidate.reliability().stream().filter(b -> b.count() > 0).toList();
    h.append(Svg.line("reliability: observed win rate vs predicted",
        bins.stream().mapToDouble(ReliabilityCurve.Bin::meanPredicted).toArray(),
        bins.stream().mapToDouble(ReliabilityCurve.Bin::observed).toArray()));
    h.append("<h2>Attribute distributions (reference set)</h2>");
    for (int a = 0; a < heads.attributes().size(); a++) {
      double[] values = new double[reference.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = heads.ridge().rewards(reference.responses()[i])[a];
      }
      h.append(Svg.histogram(heads.attributes().get(a), values, 20));
    }
    h.append("</body></html>");
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("run-" + STAMP.format(Instant.now()) + ".html");
      Files.writeString(file, h, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write report to " + dir, e);
    }
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}

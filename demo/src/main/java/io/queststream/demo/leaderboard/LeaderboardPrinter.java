package io.queststream.demo.leaderboard;

import io.queststream.schemas.DriftAlert;
import io.queststream.schemas.LeaderboardEntry;
import io.queststream.schemas.MetricSummary;
import io.queststream.schemas.PolicyRatings;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The current tables as plain text: one table per dimension, the ratings, the latest drift alerts. */
final class LeaderboardPrinter {

  private LeaderboardPrinter() {}

  static void print(LeaderboardTables tables, int alertsShown, PrintStream out) {
    for (String dimension : LeaderboardTables.DIMENSIONS) {
      List<LeaderboardEntry> entries = tables.entries(dimension);
      if (entries.isEmpty()) {
        out.println(dimension + ": no scores yet");
        out.println();
        continue;
      }
      LeaderboardEntry first = entries.get(0);
      out.printf(Locale.ROOT, "%s, window %s .. %s (%.0f%% t intervals)%n", dimension, first.getWindowStart(),
          first.getWindowEnd(), 100 * first.getConfidenceLevel());
      List<String> attributes = first.getAttributes().stream().map(MetricSummary::getMetric).toList();
      List<String> header = new ArrayList<>(List.of(dimension, "turns", "score", "95% CI", "moderated"));
      boolean models = dimension.equals("policy_model");
      if (models) {
        header.add("Elo");
      }
      attributes.forEach(a -> header.add(initials(a)));
      List<List<String>> rows = new ArrayList<>();
      for (LeaderboardEntry e : entries) {
        List<String> row = new ArrayList<>(List.of(e.getKey(), Long.toString(e.getCount()),
            number(e.getScore().getMean()), interval(e.getScore()),
            String.format(Locale.ROOT, "%.1f%%", 100 * e.getModerationRate())));
        if (models) {
          Double elo = tables.elo(e.getKey());
          row.add(elo == null ? "-" : String.format(Locale.ROOT, "%.0f", elo));
        }
        for (String a : attributes) {
          row.add(e.getAttributes().stream().filter(m -> m.getMetric().equals(a)).findFirst()
              .map(m -> String.format(Locale.ROOT, "%.2f", m.getMean())).orElse("-"));
        }
        rows.add(row);
      }
      table(header, rows, out);
      out.println("  " + String.join(", ", attributes.stream().map(a -> initials(a) + " = " + a).toList()));
      out.println();
    }
    PolicyRatings r = tables.ratings();
    if (r != null) {
      out.printf(Locale.ROOT, "policy ratings (Bradley-Terry, Elo scale), window from %s, %d pairs between models%n",
          r.getWindowStart(), r.getPairs());
      table(List.of("policy_model", "Elo", "wins", "losses"), r.getRatings().stream().map(x -> List.of(
          x.getPolicyModel(), String.format(Locale.ROOT, "%.0f", x.getElo()), number(x.getWins()),
          number(x.getLosses()))).toList(), out);
      out.println();
    }
    List<DriftAlert> alerts = tables.alerts();
    out.println("drift alerts: " + alerts.size() + (alerts.size() > alertsShown ? ", latest " + alertsShown : ""));
    for (DriftAlert a : alerts.subList(0, Math.min(alertsShown, alerts.size()))) {
      out.printf(Locale.ROOT, "  %s %s/%s %s: %s %.2f -> %.2f (%d -> %d scores), statistic %.1f > %.1f, "
              + "from turn %s to %s%n", a.getDetection().getTimestamp(), a.getDimension(), a.getKey(),
          a.getAttribute(), a.getDirection(), a.getMeanBefore(), a.getMeanAfter(), a.getObservationsBefore(),
          a.getObservationsAfter(), a.getStatistic(), a.getThreshold(), a.getChangeStart().getTurnId(),
          a.getDetection().getTurnId());
    }
  }

  private static String initials(String attribute) {
    StringBuilder b = new StringBuilder();
    for (String word : attribute.split("[^A-Za-z0-9]+")) {
      if (!word.isEmpty() && !word.equalsIgnoreCase("and")) {
        b.append(Character.toUpperCase(word.charAt(0)));
      }
    }
    return b.toString();
  }

  private static String number(double x) {
    return String.format(Locale.ROOT, "%.2f", x);
  }

  private static String interval(MetricSummary s) {
    return s.getCiLow() == null ? "-" : "[" + number(s.getCiLow()) + ", " + number(s.getCiHigh()) + "]";
  }

  private static void table(List<String> header, List<List<String>> rows, PrintStream out) {
    int[] width = new int[header.size()];
    for (int i = 0; i < header.size(); i++) {
      width[i] = header.get(i).length();
      for (List<String> row : rows) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    line(header, width, out);
    for (List<String> row : rows) {
      line(row, width, out);
    }
  }

  private static void line(List<String> cells, int[] width, PrintStream out) {
    StringBuilder b = new StringBuilder(" ");
    for (int i = 0; i < cells.size(); i++) {
      b.append(' ').append(i == 0 ? pad(cells.get(i), width[i]) : padLeft(cells.get(i), width[i]));
    }
    out.println(b);
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }

  private static String padLeft(String s, int width) {
    return " ".repeat(width - s.length()) + s;
  }
}

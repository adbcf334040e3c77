package io.queststream.demo.hostile;

import io.queststream.demo.chaos.ProcessClasspath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The table of cases a corpus class ran and what each produced, written for docs/security.md. */
final class CorpusReport {

  record Row(String category, String input, String expected, String observed) {}

  private final String file;
  private final List<Row> rows = new ArrayList<>();

  CorpusReport(String file) {
    this.file = file;
  }

  synchronized void add(String category, String input, String expected, String observed) {
    rows.add(new Row(category, input, expected, observed));
  }

  synchronized int size() {
    return rows.size();
  }

  synchronized void write() throws IOException {
    StringBuilder table = new StringBuilder("| # | class | input | expected | observed |\n|---|---|---|---|---|\n");
    int n = 1;
    for (Row r : rows) {
      table.append("| ").append(n++).append(" | ").append(r.category()).append(" | ").append(cell(r.input()))
          .append(" | ").append(cell(r.expected())).append(" | ").append(cell(r.observed())).append(" |\n");
    }
    ProcessClasspath.writeReport(file, table.toString());
    System.out.println(table);
  }

  private static String cell(String s) {
    String flat = s.replace("|", "\\|").replace("\n", " ");
    return flat.length() > 220 ? flat.substring(0, 220) + "..." : flat;
  }
}

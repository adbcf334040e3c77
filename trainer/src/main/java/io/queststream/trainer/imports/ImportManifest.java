package io.queststream.trainer.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.queststream.trainer.ridge.SplitAssigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import used, for the record (docs/quality.md): each source's repository and licence, every file with its
 * SHA-256, one SHA-256 over those (of the {@code sha256sum}-style listing "hash  path\n", sorted by path, so
 * {@code sha256sum} can reproduce it), the subset, the split and the counts, and every issue by cause.
 */
public final class ImportManifest {

  public static final String RMB_REPOSITORY = "https://github.com/Zhou-Zoey/RMB-Reward-Model-Benchmark";
  public static final String RMB_LICENCE = "none stated (the repository carries no licence file)";
  public static final String QUEST_REPOSITORY = "https://github.com/EthanPisani/QUEST-Bench";
  public static final String QUEST_LICENCE = "Apache-2.0";

  private ImportManifest() {}

  /** The split as the import applied it: RMB by conversation, QUEST-Bench by scene. */
  public record Split(long seed, double heldOutFraction, SplitAssigner assigner) {}

  public static Map<String, Object> of(PublicDataset data, PublicDataImport.Options options, Split split) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> sources = new ArrayList<>();
    if (options.rmbRoot() != null) {
      sources.add(source("RMB (Pairwise_set, BoN_set)", RMB_REPOSITORY, RMB_LICENCE, options.rmbRoot(),
          data.rmbFiles()));
    }
    if (options.questRoot() != null) {
      sources.add(source("QUEST-Bench, scene part only", QUEST_REPOSITORY, QUEST_LICENCE, options.questRoot(),
          data.questFiles()));
    }
    m.put("sources", sources);
    Map<String, Object> subset = new LinkedHashMap<>();
    subset.put("rmb_items", options.rmbLimit() == null ? "all" : "first " + options.rmbLimit()
        + " items by SHA-256 of their uid");
    subset.put("quest_turns", options.questLimit() == null ? "all" : "whole contexts by SHA-256 of their id, up to "
        + options.questLimit() + " turns");
    subset.put("quest_card", options.cardMode().name().toLowerCase(java.util.Locale.ROOT));
    subset.put("quest_pair_margin", options.questMargin());
    m.put("subset", subset);
    m.put("split", split(data, split));
    m.put("counts", data.counts());
    m.put("malformed", issues(data.issues().malformed()));
    m.put("unusable", issues(data.issues().unusable()));
    return m;
  }

  public static void write(Path file, Map<String, Object> manifest) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), manifest);
  }

  /** SHA-256 of the listing "sha256  path\n" over the files sorted by path. */
  public static String combinedSha256(List<SourceFile> files) {
    StringBuilder listing = new StringBuilder();
    files.stream().sorted((a, b) -> a.path().compareTo(b.path()))
        .forEach(f -> listing.append(f.sha256()).append("  ").append(f.path()).append('\n'));
    return HexFormat.of().formatHex(ContentIds.digest().digest(listing.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static Map<String, Object> source(String name, String repository, String licence, Path root,
      List<SourceFile> files) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("name", name);
    s.put("repository", repository);
    s.put("licence", licence);
    s.put("root", root.toString());
    s.put("files_sha256", combinedSha256(files));
    s.put("files", files);
    return s;
  }

  private static Map<String, Object> split(PublicDataset data, Split split) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rule", "held out iff SplitAssigner(split.seed ^ 0x5eed, heldout.fraction) puts the key on the validation "
        + "side; key = the RMB conversation (prompt id) or the QUEST-Bench scene (scene id), so no prompt and no "
        + "scene is on both sides");
    s.put("seed", split.seed());
    s.put("heldout_fraction", split.heldOutFraction());
    long heldOutItems = data.rmbItems().stream().filter(i -> split.assigner().isValidation(i.promptId())).count();
    long heldOutQuest = data.questTurns().stream().filter(t -> split.assigner().isValidation(t.sceneId())).count();
    s.put("rmb_items_heldout", heldOutItems);
    s.put("rmb_items_training", data.rmbItems().size() - heldOutItems);
    s.put("quest_turns_heldout", heldOutQuest);
    s.put("quest_turns_training", data.questTurns().size() - heldOutQuest);
    return s;
  }

  private static Map<String, Object> issues(Map<String, ImportIssues.Tally> tallies) {
    Map<String, Object> m = new LinkedHashMap<>();
    tallies.forEach((cause, t) -> m.put(cause, Map.of("count", t.count(), "first_seen", t.firstSeen())));
    return m;
  }
}

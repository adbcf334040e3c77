#!/bin/bash
# Least-privilege ACLs for the trainer (see README.md in this folder for the reasoning).
# Environment: BOOTSTRAP_SERVERS (required), COMMAND_CONFIG (admin client properties, required on a secured
# cluster), PRINCIPAL (default User:quest-trainer), CLIENT_PREFIX (default quest-trainer: the prefix of the
# trainer's consumer groups and transactional ids), KAFKA_BIN (default /opt/kafka/bin).
set -euo pipefail

: "${BOOTSTRAP_SERVERS:?BOOTSTRAP_SERVERS must name the cluster}"
PRINCIPAL="${PRINCIPAL:-User:quest-trainer}"
CLIENT_PREFIX="${CLIENT_PREFIX:-quest-trainer}"
KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"

acls=("$KAFKA_BIN/kafka-acls.sh" --bootstrap-server "$BOOTSTRAP_SERVERS")
if [[ -n "${COMMAND_CONFIG:-}" ]]; then
  acls+=(--command-config "$COMMAND_CONFIG")
fi

for topic in turn-ratings turn-preferences turn-embeddings reward-weights turn-scores-shadow; do
  "${acls[@]}" --add --allow-principal "$PRINCIPAL" --operation Read --topic "$topic"
done
for topic in reward-weights trainer-dlq; do
  "${acls[@]}" --add --allow-principal "$PRINCIPAL" --operation Write --topic "$topic"
done
# The dead-letter topic's max.message.bytes, read once so that dead letters are cut to fit it.
"${acls[@]}" --add --allow-principal "$PRINCIPAL" --operation DescribeConfigs --topic trainer-dlq
"${acls[@]}" --add --allow-principal "$PRINCIPAL" --operation Read \
  --resource-pattern-type prefixed --group "$CLIENT_PREFIX"
"${acls[@]}" --add --allow-principal "$PRINCIPAL" --operation Write --operation Describe \
  --resource-pattern-type prefixed --transactional-id "$CLIENT_PREFIX-"
